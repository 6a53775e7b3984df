"""Tickets next to the real directory plugin (demo knowledge base), not its test double."""

from __future__ import annotations

import pytest

from bot.config import Settings
from plugins.directory import DirectoryPlugin
from plugins.tickets import TicketsPlugin
from tests.harness import Chat, make_chat


@pytest.fixture
async def chat(settings: Settings) -> Chat:
    chat = await make_chat(settings, [DirectoryPlugin, TicketsPlugin])
    await chat.bot.services.plugins["directory"].demo("!room:test")
    return chat


async def test_a_hydrogen_request_suggests_h2_and_is_assigned_by_short_name(chat: Chat) -> None:
    filed = await chat.ask("!anfrage Wasserstoff-Tankstelle für Spedition in Gotha")
    assert "H2-Thü" in filed
    network_id = chat.bot.services.plugins["directory"].network_id("H2-Thü")  # type: ignore[attr-defined]
    assert network_id is not None
    assigned = await chat.ask("!zuweisen 1 H2-Thü")
    assert f"({network_id}) zugewiesen" in assigned
    # A near miss is not guessed: the ticket keeps its network.
    assert "kenne ich nicht" in await chat.ask("!zuweisen 1 H2-Thüringen-Netz")
    assert f"({network_id})" in await chat.ask("!ticket 1")


async def test_the_demo_agenda_groups_tickets_by_network(chat: Chat) -> None:
    await chat.bot.services.plugins["tickets"].demo("!room:test")
    agenda = await chat.ask("!agenda")
    groups = [line for line in agenda.splitlines() if line and not line.startswith(("•", " "))]
    assert "H2-Thü (wasserstoff)" in groups and "Ohne Netzwerk" in groups
    assert agenda.index("H2-Thü (wasserstoff)") < agenda.index("#2 Maschinenbauer")


@pytest.mark.parametrize(
    "request_text",
    [
        "Suchen Partner für die Entwicklung eines Messgeräts",  # ~ Softwareentwicklung
        "Wie bekommen wir Fördergeld für eine neue Maschine?",  # Maschine ~ Maschinenbau
    ],
)
async def test_a_weak_match_of_the_demo_kb_pings_nobody(chat: Chat, request_text: str) -> None:
    reply = await chat.ask(f"!anfrage {request_text}")
    assert chat.last.message.mentions == frozenset()
    assert "Vielleicht passend" in reply and "Passende Netzwerke" not in reply


async def test_a_request_of_only_filler_words_suggests_nobody(chat: Chat) -> None:
    """ "weitere" began "Weiterbildung" (0.5) and pinged its network's contacts."""
    reply = await chat.ask("!anfrage Wir suchen weitere Kunden")
    assert chat.last.message.mentions == frozenset()
    assert "Vielleicht passend" not in reply and "Passende Netzwerke" not in reply


@pytest.mark.parametrize(
    ("request_text", "pinged"),
    [
        (
            "Firma braucht Beratung zu Lasertechnik",
            {"@lena.hoffmann:example.org", "@markus.bergmann:example.org"},
        ),
        (
            "Metallbauer aus Suhl möchte eine Photovoltaikanlage auf das Hallendach",
            {"@thomas.reuter:example.org", "@katrin.vogel:example.org"},
        ),
    ],
)
async def test_a_clear_match_of_the_demo_kb_pings_its_contacts(
    chat: Chat, request_text: str, pinged: set[str]
) -> None:
    await chat.ask(f"!anfrage {request_text}")
    assert chat.last.message.mentions == frozenset(pinged)


async def test_the_history_names_an_assigned_network_by_its_short_name(chat: Chat) -> None:
    await chat.ask("!anfrage Wasserstoff-Tankstelle für Spedition in Gotha")
    await chat.ask("!zuweisen 1 H2-Thü")
    assert "zugewiesen – H2-Thü (wasserstoff)" in await chat.ask("!ticket 1")


async def test_ticket_rights_and_directory_edits_match_a_contact_by_the_same_rule(
    settings: Settings,
) -> None:
    """A contact's Matrix id exactly as written: the same id in other letter case (another
    account) neither handles the network's tickets nor edits it (it did the one, not the
    other)."""
    settings = settings.model_copy(update={"allowed_users": ["@*:test", "@*:example.org"]})
    chat = await make_chat(settings, [DirectoryPlugin, TicketsPlugin])
    await chat.bot.services.plugins["directory"].demo("!room:test")
    contact, other_case = "@stefan.richter:example.org", "@Stefan.Richter:example.org"
    await chat.ask("!anfrage Wasserstoff-Tankstelle für Spedition in Gotha")
    await chat.ask("!zuweisen 1 wasserstoff")
    assert (await chat.ask("!erledigt 1", sender=other_case)).startswith(
        "Schließen dürfen Anfrage #1 nur"
    )
    assert (await chat.ask("!tickets meine", sender=other_case)).startswith("Meine Anfragen (0)")
    assert await chat.ask("!thema add wasserstoff Ammoniak", sender=other_case) == (
        "Das dürfen nur die Ansprechpartner von H2-Thü und Admins."
    )
    assert (await chat.ask("!tickets meine", sender=contact)).startswith("Meine Anfragen (1)")
    assert "Ammoniak" in await chat.ask("!thema add wasserstoff Ammoniak", sender=contact)
    assert (await chat.ask("!erledigt 1", sender=contact)).startswith("✅ Anfrage #1")
