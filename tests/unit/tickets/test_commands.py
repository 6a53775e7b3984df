"""Every ticket command on the memory transport: filing, lifecycle, permissions, rooms, i18n."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.config import Settings
from bot.models import OutboxMessage
from bot.transport.base import Incoming
from plugins.tickets import NOTIFY_SCORE, TicketsPlugin, service
from plugins.tickets.models import Action, Status
from plugins.tickets.parsing import parse_request
from tests.harness import Chat, FakeClock, make_chat
from tests.unit.tickets.conftest import (
    ADMIN,
    ANNA,
    BOB,
    CAROL,
    OTHER_ROOM,
    ROOM,
    directory_of,
    ticket_events,
    tickets_in,
)
from tests.unit.tickets.doubles import EventsWithoutWeekSection, FakeDirectory

EXPORT_REQUEST = (
    "!anfrage Exportberatung nach Polen gesucht\n"
    "Die Firma will ab 2027 liefern.\n"
    "Firma: Müller Maschinenbau GmbH\n"
    "Kontakt: Herr Meier, meier@mueller.example, 0361 1234567"
)


async def file(chat: Chat, text: str = "!anfrage Fachkräfte für Jena gesucht", **kw: str) -> str:
    reply = await chat.ask(text, **kw)
    assert "angelegt" in reply or "filed" in reply, reply
    return chat.last_event_id()


# -- filing --------------------------------------------------------------------------------------


async def test_request_is_numbered_stored_and_confirmed_with_suggestions(chat: Chat) -> None:
    reply = await chat.ask(EXPORT_REQUEST)
    assert reply.startswith("📝 Anfrage #1 angelegt: Exportberatung nach Polen gesucht")
    assert "Firma: Müller Maschinenbau GmbH" in reply
    assert "Kontakt: Herr Meier, meier@mueller.example, 0361 1234567" in reply
    assert "Passende Netzwerke:" in reply
    assert "Exportnetzwerk Thüringen (ExNeT) export-thueringen" in reply
    assert "Ansprechpartner: Erika Export, Paul Post (paul@export.example)" in reply
    assert "Zuweisen: !zuweisen 1 export-thueringen" in reply
    assert "✋ auf diese Nachricht oder !übernehmen 1" in reply and "✅ oder !erledigt 1" in reply
    # The best match's contacts are pinged: the request is passed on to them. The message is
    # tagged for reactions.
    assert "https://matrix.to/#/@erika:test" in chat.last.message.html
    assert chat.last.message.mentions == frozenset({"@erika:test"})
    assert chat.last.reply_to is not None
    [ticket] = tickets_in(chat)
    assert (ticket.number, ticket.status, ticket.filed_by) == (1, Status.OPEN, ANNA)
    assert ticket.company == "Müller Maschinenbau GmbH"
    assert ticket.contact_name == "Herr Meier"
    assert ticket.contact_email == "meier@mueller.example"
    assert ticket.contact_phone == "0361 1234567"
    assert ticket.text == "Exportberatung nach Polen gesucht\nDie Firma will ab 2027 liefern."
    assert ticket.created_at == chat.bot.clock()
    with chat.bot.store.session() as session:
        outbox = session.exec(select(OutboxMessage)).all()
    assert [row.tag for row in outbox] == [f"tickets:{ticket.id}"]
    assert [(e.action, e.actor) for e in ticket_events(chat)] == [(Action.CREATED, ANNA)]


@pytest.mark.parametrize(
    ("setting", "pinged"),
    [
        ("top", {"@erika:test"}),
        ("all", {"@erika:test", "@jana:test"}),
        ("none", set()),
    ],
)
async def test_suggested_contacts_pinged_as_configured(
    settings: Settings,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    pinged: set[str],
) -> None:
    monkeypatch.setenv("LOTSE_TICKET_NOTIFY_CONTACTS", setting)
    chat = await make_chat(settings, [FakeDirectory, TicketsPlugin], clock=clock)
    await file(chat, "!anfrage Export nach Polen: Fachkräfte für Jena gesucht, Export zuerst")
    assert "https://matrix.to/#/@jana:test" in chat.last.message.html  # shown in any case
    assert chat.last.message.mentions == frozenset(pinged)


async def test_the_filer_is_not_pinged_as_a_suggested_contact(chat: Chat) -> None:
    await file(chat, "!anfrage Export nach Polen", sender="@erika:test")
    assert chat.last.message.mentions == frozenset()


@pytest.mark.parametrize("setting", ["top", "all"])
async def test_a_weak_match_is_a_hint_that_pings_nobody(
    settings: Settings, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("LOTSE_TICKET_NOTIFY_CONTACTS", setting)
    chat = await make_chat(settings, [FakeDirectory, TicketsPlugin], clock=clock)
    directory_of(chat).networks[0].strength = (NOTIFY_SCORE - 0.01) / 2  # two topics match
    reply = await chat.ask("!anfrage Export nach Polen")
    assert chat.last.message.mentions == frozenset()
    assert "Passende Netzwerke" not in reply
    assert "Vielleicht passend (unsichere Treffer, bitte prüfen):" in reply
    assert "Exportnetzwerk Thüringen (ExNeT) export-thueringen" in reply
    assert "Erika" not in reply  # a guess is no referral to its people
    assert "Zuweisen: !zuweisen 1 <Netzwerk>" in reply  # no network proposed by its id


async def test_a_match_at_the_bar_pings(chat: Chat) -> None:
    directory_of(chat).networks[0].strength = NOTIFY_SCORE / 2
    await file(chat, "!anfrage Export nach Polen")
    assert chat.last.message.mentions == frozenset({"@erika:test"})


async def test_weaker_suggestions_below_a_good_one_are_set_apart(chat: Chat) -> None:
    directory_of(chat).networks[1].strength = NOTIFY_SCORE / 2
    reply = await chat.ask("!anfrage Export nach Polen, Fachkräfte gesucht")
    strong, weak = reply.split("Weniger sicher:")
    assert "Passende Netzwerke:" in strong and "Exportnetzwerk Thüringen" in strong
    assert "Fachkräftenetzwerk Jena fachkraefte-jena" in weak and "Jana" not in weak
    assert "Zuweisen: !zuweisen 1 export-thueringen" in reply
    assert chat.last.message.mentions == frozenset({"@erika:test"})


@pytest.mark.parametrize(
    ("setting", "pinged"), [("top", set()), ("all", {"@erika:test", "@jana:test"})]
)
async def test_a_tie_at_the_top_pings_nobody_in_particular(
    settings: Settings,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    pinged: set[str],
) -> None:
    monkeypatch.setenv("LOTSE_TICKET_NOTIFY_CONTACTS", setting)
    chat = await make_chat(settings, [FakeDirectory, TicketsPlugin], clock=clock)
    reply = await chat.ask("!anfrage Export und Fachkräfte gesucht")  # one topic each
    assert chat.last.message.mentions == frozenset(pinged)
    assert ("gleich gut" in reply) == (setting == "top")
    assert "Zuweisen: !zuweisen 1 <Netzwerk>" in reply


async def test_indented_lines_of_a_request_stay_text(chat: Chat) -> None:
    await file(chat, "!anfrage Angebot eingegangen\n\n    Preis: 5.000 € (netto) [x]")
    await chat.ask("!ticket 1")
    assert "<code>" not in chat.last.message.html and "\\" not in chat.last.message.plain
    assert "Preis: 5.000 € (netto) [x]" in chat.last.message.plain


@pytest.mark.parametrize("invisible", ["\u200b", "\u202e", "\u2066\u200b\u2069"])
async def test_a_request_of_invisible_characters_is_empty(chat: Chat, invisible: str) -> None:
    reply = await chat.ask(f"!anfrage {invisible}")
    assert "angelegt" not in reply
    assert tickets_in(chat) == []


async def test_bidi_controls_are_dropped_from_a_title(chat: Chat) -> None:
    await file(chat, "!anfrage Beratung \u202egnuhcus\u202c gesucht")
    [ticket] = tickets_in(chat)
    assert ticket.title == "Beratung gnuhcus gesucht"


async def test_numbers_count_up_per_room(chat: Chat) -> None:
    await file(chat)
    await file(chat)
    reply = await chat.ask("!anfrage Ausbildung", room=OTHER_ROOM)
    assert "Anfrage #1 angelegt" in reply
    assert [(t.room_id, t.number) for t in tickets_in(chat)] == [
        (OTHER_ROOM, 1),
        ("!room:test", 1),
        ("!room:test", 2),
    ]


async def test_no_matching_network_and_no_directory_are_said_politely(
    chat: Chat, lone_chat: Chat
) -> None:
    reply = await chat.ask("!anfrage Etwas ganz anderes")
    assert "Ein passendes Netzwerk habe ich nicht gefunden." in reply
    reply = await lone_chat.ask("!anfrage Export nach Polen")
    assert "Netzwerkverzeichnis ist gerade nicht verfügbar" in reply
    assert "Anfrage #1 angelegt" in reply


async def test_broken_directory_does_not_stop_filing(chat: Chat) -> None:
    directory_of(chat).broken = True
    reply = await chat.ask("!anfrage Export nach Polen")
    assert "Anfrage #1 angelegt" in reply and "nicht verfügbar" in reply
    assert len(tickets_in(chat)) == 1


async def test_directory_is_asked_with_the_description(chat: Chat) -> None:
    await chat.ask(EXPORT_REQUEST)
    assert directory_of(chat).asked == [
        "Exportberatung nach Polen gesucht\nDie Firma will ab 2027 liefern."
    ]


async def test_bad_requests_are_explained_and_store_nothing(chat: Chat) -> None:
    reply = await chat.ask("!anfrage")
    assert reply.startswith("Bitte beschreiben Sie die Anfrage, z. B. !anfrage Exportberatung")
    reply = await chat.ask("!anfrage   ")
    assert reply.startswith("Bitte beschreiben Sie die Anfrage")
    reply = await chat.ask("!anfrage " + "x" * 2001)
    assert "zu lang (2001 Zeichen, höchstens 2000)" in reply and "nichts gespeichert" in reply
    reply = await chat.ask("!anfrage Anfrage\nFirma: " + "M" * 201)
    assert "Die Angabe „Firma“ ist zu lang (höchstens 200 Zeichen)" in reply
    assert tickets_in(chat) == [] and ticket_events(chat) == []


async def test_keys_without_values_are_refused_in_both_languages(chat: Chat) -> None:
    for text in ("Firma:", "Firma:, Kontakt:"):
        assert await chat.ask(f"!anfrage {text}") == (
            "Ich sehe nur Feldnamen ohne Angaben (wie „Firma:“). Bitte schreiben Sie, worum "
            "es geht, z. B. !anfrage Exportberatung für Polen gesucht"
        )
    await chat.ask("!language en")
    assert await chat.ask("!request company:") == (
        "I only see field names without values (like “company:”). Please write what the "
        "request is about, e.g. !request Looking for export advice on Poland"
    )
    assert tickets_in(chat) == [] and ticket_events(chat) == []


async def test_a_request_of_fields_only_is_filed_under_its_first_line(chat: Chat) -> None:
    reply = await chat.ask("!anfrage Unternehmen: Beispiel AG sucht Hilfe bei Spritzguss")
    assert reply.startswith(
        "📝 Anfrage #1 angelegt: Unternehmen: Beispiel AG sucht Hilfe bei Spritzguss"
    )
    [ticket] = tickets_in(chat)
    assert ticket.text == "Unternehmen: Beispiel AG sucht Hilfe bei Spritzguss"


async def test_user_text_is_escaped_everywhere(chat: Chat) -> None:
    evil = "<script>alert(1)</script> **x** [l](javascript:alert(1))"
    await chat.ask(f"!anfrage {evil}\nFirma: <b>ACME</b>")
    html = chat.last.message.html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>x</strong>" not in html and "**x**" in html
    assert "<b>" not in html and 'href="javascript' not in html
    assert evil in chat.last.message.plain
    for command in ("!tickets", "!ticket 1", "!agenda", "!übernehmen 1"):
        await chat.ask(command)
        assert "<script>" not in chat.last.message.html, command
        assert "<strong>x</strong>" not in chat.last.message.html, command
        assert "&lt;script&gt;" in chat.last.message.html, command
    await chat.ask("!kommentar 1 <img src=x onerror=alert(1)> _y_")
    await chat.ask("!ticket 1")
    assert "<img" not in chat.last.message.html and "<em>" not in chat.last.message.html


async def test_english_room(chat: Chat) -> None:
    await chat.ask("!language en")
    reply = await chat.ask(
        "!request Looking for export advice on Poland\ncompany: ACME Ltd\ncontact: Jane Doe"
    )
    assert reply.startswith("📝 Request #1 filed: Looking for export advice on Poland")
    assert "Company: ACME Ltd · Contact: Jane Doe" in reply
    assert "Networks that handle this:" in reply and "Assign: !assign 1 export-thueringen" in reply
    assert "Claim: ✋ on this message or !claim 1 · Done: ✅ or !close 1" in reply
    assert await chat.ask("!claim 1") == (
        "✋ @anna:test claimed request #1: Looking for export advice on Poland"
    )
    assert await chat.ask("!claim 1", sender=BOB) == "Request #1 is already claimed by @anna:test."
    assert (await chat.ask("!close 1 done by phone")).startswith("✅ Request #1 is done")
    assert await chat.ask("!close 1") == "Request #1 is already done. Reopen: !reopen 1"
    assert await chat.ask("!ticket 7") == (
        "There is no request #7 in this room. Open requests: !tickets"
    )
    assert (await chat.ask("!request")).startswith("Please describe the request, e.g. !request")
    assert "Closed requests (1)" in await chat.ask("!tickets done")
    # German command names work in an English room too.
    assert "is open again" in await chat.ask("!wiedereröffnen 1")
    assert await chat.ask("!close 1", sender=BOB) == (
        "Only whoever filed or claimed request #1, its assignee, the contacts of its network "
        "or an admin may close it."
    )


# -- the lifecycle -------------------------------------------------------------------------------


async def test_claim_and_claim_again(chat: Chat) -> None:
    await file(chat)
    assert await chat.ask("!übernehmen 1", sender=BOB) == (
        "✋ @bob:test hat Anfrage #1 übernommen: Fachkräfte für Jena gesucht"
    )
    assert await chat.ask("!übernehmen #1", sender=BOB) == (
        "Anfrage #1 haben Sie bereits übernommen. 👍"
    )
    assert await chat.ask("!uebernehmen 1", sender=CAROL) == (
        "Anfrage #1 hat bereits @bob:test übernommen."
    )
    assert await chat.ask("!claim 1", sender=ADMIN) == (
        "Anfrage #1 hat bereits @bob:test übernommen."
    )
    [ticket] = tickets_in(chat)
    assert (ticket.status, ticket.claimed_by) == (Status.CLAIMED, BOB)
    assert [e.action for e in ticket_events(chat)] == [Action.CREATED, Action.CLAIMED]
    assert chat.last.message.mentions == frozenset()  # saying who has it does not ping them


async def test_close_with_note_pings_the_filer(chat: Chat) -> None:
    await file(chat)
    await chat.ask("!übernehmen 1", sender=BOB)
    reply = await chat.ask("!erledigt 1 Kontakt zu Frau X hergestellt", sender=BOB)
    assert reply == (
        "✅ Anfrage #1 ist erledigt (@bob:test): Fachkräfte für Jena gesucht\n"
        "Notiz: Kontakt zu Frau X hergestellt\n"
        "@anna:test, Ihre Anfrage ist erledigt."
    )
    assert chat.last.message.mentions == frozenset({ANNA})
    [ticket] = tickets_in(chat)
    assert ticket.status == Status.DONE and ticket.close_note == "Kontakt zu Frau X hergestellt"
    assert ticket.closed_at == chat.bot.clock() and ticket.claimed_by == BOB
    closed = ticket_events(chat)[-1]
    assert (closed.action, closed.actor, closed.detail) == (
        Action.CLOSED,
        BOB,
        "Kontakt zu Frau X hergestellt",
    )


async def test_illegal_transitions_are_explained(chat: Chat) -> None:
    await file(chat)
    assert await chat.ask("!wiedereröffnen 1") == (
        "Anfrage #1 ist nicht erledigt; es gibt nichts wieder zu öffnen."
    )
    assert await chat.ask("!freigeben 1") == "Anfrage #1 hat niemand übernommen."
    assert (await chat.ask("!erledigt 1")).startswith("✅ Anfrage #1 ist erledigt")
    assert await chat.ask("!erledigt 1") == (
        "Anfrage #1 ist bereits erledigt. Wieder öffnen: !wiedereröffnen 1"
    )
    assert await chat.ask("!übernehmen 1", sender=BOB) == (
        "Anfrage #1 ist bereits erledigt. Wieder öffnen: !wiedereröffnen 1"
    )
    assert await chat.ask("!freigeben 1") == (
        "Anfrage #1 ist bereits erledigt. Wieder öffnen: !wiedereröffnen 1"
    )
    assert [e.action for e in ticket_events(chat)] == [Action.CREATED, Action.CLOSED]


async def test_reopen_starts_over(chat: Chat) -> None:
    await file(chat)
    await chat.ask("!übernehmen 1", sender=BOB)
    await chat.ask("!erledigt 1 passt", sender=BOB)
    assert await chat.ask("!wiedereröffnen 1", sender=BOB) == (
        "Anfrage #1 ist wieder offen: Fachkräfte für Jena gesucht"
    )
    [ticket] = tickets_in(chat)
    assert ticket.status == Status.OPEN and ticket.claimed_by is None
    assert ticket.closed_at is None and ticket.close_note is None
    assert "übernommen" in await chat.ask("!übernehmen 1", sender=CAROL)


async def test_release(chat: Chat) -> None:
    await file(chat)
    await chat.ask("!übernehmen 1", sender=BOB)
    assert await chat.ask("!freigeben 1") == (
        "Freigeben darf Anfrage #1 nur, wer sie übernommen hat, oder ein Admin."
    )
    assert await chat.ask("!freigeben 1", sender=BOB) == (
        "Anfrage #1 ist wieder frei: Fachkräfte für Jena gesucht"
    )
    await chat.ask("!übernehmen 1", sender=CAROL)
    assert "wieder frei" in await chat.ask("!unclaim 1", sender=ADMIN)
    assert [e.action for e in ticket_events(chat)] == [
        Action.CREATED,
        Action.CLAIMED,
        Action.RELEASED,
        Action.CLAIMED,
        Action.RELEASED,
    ]


async def test_who_may_close_and_reopen(chat: Chat) -> None:
    refused = (
        "Schließen dürfen Anfrage #1 nur, wer sie angelegt oder übernommen hat, die zuständige "
        "Person, die Ansprechpartner des zuständigen Netzwerks oder ein Admin."
    )
    await file(chat)  # filed by Anna
    await chat.ask("!übernehmen 1", sender=BOB)
    assert await chat.ask("!erledigt 1", sender=CAROL) == refused
    assert "ist erledigt" in await chat.ask("!erledigt 1")  # the filer may
    reopen_refused = await chat.ask("!wiedereröffnen 1", sender=CAROL)
    assert reopen_refused == (
        "Wieder öffnen dürfen Anfrage #1 nur, wer sie angelegt oder übernommen hat, die "
        "zuständige Person, die Ansprechpartner des zuständigen Netzwerks oder ein Admin."
    )
    assert "wieder offen" in await chat.ask("!wiedereröffnen 1", sender=ADMIN)
    await chat.ask("!zuweisen 1 @carol:test")
    assert "ist erledigt" in await chat.ask("!erledigt 1", sender=CAROL)  # the assignee may
    await file(chat)
    assert "ist erledigt" in await chat.ask("!erledigt 2", sender=ADMIN)  # an admin may
    [first, second] = tickets_in(chat)
    assert first.status == second.status == Status.DONE


ERIKA = "@erika:test"  # a contact of export-thueringen in the test directory
JANA = "@jana:test"  # a contact of fachkraefte-jena


async def test_the_contacts_of_the_assigned_network_count_as_its_assignee(chat: Chat) -> None:
    await file(chat)  # filed by Anna
    await chat.ask("!zuweisen 1 export-thueringen")
    await chat.ask("!übernehmen 1", sender=BOB)
    assert "Schließen dürfen" in await chat.ask("!erledigt 1", sender=JANA)  # another network's
    assert "ist erledigt" in await chat.ask("!erledigt 1", sender=ERIKA)
    assert "wieder offen" in await chat.ask("!wiedereröffnen 1", sender=ERIKA)
    assert "(fachkraefte-jena) zugewiesen" in await chat.ask(
        "!zuweisen 1 fachkraefte-jena", sender=ERIKA
    )
    # Handed on, the ticket is the other network's now.
    assert "Schließen dürfen" in await chat.ask("!erledigt 1", sender=ERIKA)
    assert "ist erledigt" in await chat.ask("!erledigt 1", sender=JANA)


async def test_a_contact_of_two_networks_handles_the_tickets_of_both(chat: Chat) -> None:
    directory = chat.bot.services.plugin("directory")
    assert isinstance(directory, FakeDirectory)
    jena = directory.networks[1]
    jena.contacts = (*jena.contacts, *directory.networks[0].contacts[:1])  # Erika, too
    await file(chat, "!anfrage Export nach Polen")
    await file(chat, "!anfrage Fachkräfte gesucht")
    await chat.ask("!zuweisen 1 export-thueringen")
    await chat.ask("!zuweisen 2 fachkraefte-jena")
    assert (await chat.ask("!tickets meine", sender=ERIKA)).startswith("Meine Anfragen (2)")
    assert "ist erledigt" in await chat.ask("!erledigt 2", sender=ERIKA)


async def test_my_list_holds_the_tickets_of_my_network(chat: Chat) -> None:
    await file(chat, "!anfrage Export nach Polen")
    await file(chat, "!anfrage Fachkräfte gesucht")
    await chat.ask("!zuweisen 1 export-thueringen")
    await chat.ask("!zuweisen 2 fachkraefte-jena")
    mine = await chat.ask("!tickets meine", sender=ERIKA)
    assert mine.startswith("Meine Anfragen (1)\n\n• #1 Export nach Polen")
    assert "#2" not in mine
    assert (await chat.ask("!tickets meine", sender=BOB)).startswith("Meine Anfragen (0)")


async def test_a_network_assignment_without_a_directory_gives_no_contacts(
    lone_chat: Chat,
) -> None:
    await lone_chat.ask("!anfrage Export nach Polen")
    await lone_chat.ask("!zuweisen 1 export-thueringen")
    assert "Schließen dürfen" in await lone_chat.ask("!erledigt 1", sender=ERIKA)
    assert (await lone_chat.ask("!tickets meine", sender=ERIKA)).startswith("Meine Anfragen (0)")


async def test_assign_to_network_person_and_back(chat: Chat) -> None:
    await file(chat)
    assert await chat.ask("!zuweisen 1 fachkraefte-jena") == (
        "Anfrage #1 ist jetzt dem Netzwerk Fachkräftenetzwerk Jena (fachkraefte-jena) zugewiesen."
    )
    assert await chat.ask("!zuweisen 1 @bob:test") == "Anfrage #1 ist jetzt @bob:test zugewiesen."
    assert chat.last.message.mentions == frozenset({BOB})
    [ticket] = tickets_in(chat)
    assert (ticket.network_id, ticket.assignee_user) == ("fachkraefte-jena", BOB)
    assert ticket.status == Status.OPEN  # assigning is not claiming
    assert await chat.ask("!zuweisen 1 -") == "Anfrage #1 ist niemandem mehr zugewiesen."
    [ticket] = tickets_in(chat)
    assert (ticket.network_id, ticket.assignee_user) == (None, None)
    details = [(e.action, e.detail) for e in ticket_events(chat)][1:]
    assert details == [
        (Action.ASSIGNED, "fachkraefte-jena"),
        (Action.ASSIGNED, BOB),
        (Action.UNASSIGNED, None),
    ]


async def test_assign_validates_the_target(chat: Chat) -> None:
    await file(chat)
    assert await chat.ask("!zuweisen 1 gibtsnicht") == (
        "Das Netzwerk gibtsnicht kenne ich nicht. Alle Netzwerke: !netzwerke"
    )
    assert await chat.ask("!zuweisen 1 @bob") == (
        "@bob ist weder eine Netzwerk-ID noch eine Matrix-ID (@name:server)."
    )
    assert (await chat.ask('!zuweisen 1 "a b"')).startswith("Das Netzwerk a b kenne ich nicht.")


async def test_assign_takes_a_networks_short_or_full_name(chat: Chat) -> None:
    await file(chat)
    assert "(export-thueringen) zugewiesen" in await chat.ask("!zuweisen 1 exnet")
    assert "(fachkraefte-jena) zugewiesen" in await chat.ask(
        '!zuweisen 1 "Fachkräftenetzwerk Jena"'
    )
    await chat.ask("!zuweisen 1 -")
    assert "(fachkraefte-jena) zugewiesen" in await chat.ask("!zuweisen 1 Fachkräftenetzwerk Jena")
    assert "Fachkräftenetzwerk Jena (fachkraefte-jena) (1)" in await chat.ask(
        "!tickets Fachkräftenetzwerk Jena"
    )
    [ticket] = tickets_in(chat)
    assert ticket.network_id == "fachkraefte-jena"
    assert await chat.ask("!zuweisen 1 FACHKRAEFTE-JENA") == (
        "Anfrage #1 ist schon so zugewiesen; nichts geändert."
    )
    assert await chat.ask("!zuweisen 1 EXPORT-THUERINGEN") == (
        "Anfrage #1 ist jetzt dem Netzwerk Exportnetzwerk Thüringen (export-thueringen) zugewiesen."
    )
    assert await chat.ask("!zuweisen 1 fachkraefte-jena") != ""
    assert (await chat.ask("!zuweisen 1 export-thueringen", sender=CAROL)).startswith(
        "Zuweisen dürfen Anfrage #1 nur, wer sie angelegt oder übernommen hat"
    )
    assert await chat.ask("!zuweisen 9 export-thueringen") == (
        "Eine Anfrage #9 gibt es in diesem Raum nicht. Offene Anfragen: !tickets"
    )
    [ticket] = tickets_in(chat)
    assert ticket.network_id == "fachkraefte-jena"


async def test_assigning_changes_nothing_twice_and_not_a_done_ticket(chat: Chat) -> None:
    await file(chat)
    await chat.ask("!zuweisen 1 @bob:test")
    assert await chat.ask("!zuweisen 1 @bob:test") == (
        "Anfrage #1 ist schon so zugewiesen; nichts geändert."
    )
    await chat.ask("!zuweisen 1 -")
    assert await chat.ask("!zuweisen 1 -") == "Anfrage #1 ist schon so zugewiesen; nichts geändert."
    await chat.ask("!erledigt 1")
    assert (await chat.ask("!zuweisen 1 exnet")).startswith("Anfrage #1 ist bereits erledigt")
    [ticket] = tickets_in(chat)
    assert ticket.network_id is None and ticket.assignee_user is None
    actions = [e.action for e in ticket_events(chat)]
    assert actions == [Action.CREATED, Action.ASSIGNED, Action.UNASSIGNED, Action.CLOSED]


async def test_assign_without_directory_takes_any_id(lone_chat: Chat) -> None:
    await file(lone_chat)
    assert await lone_chat.ask("!zuweisen 1 irgendwas") == (
        "Anfrage #1 ist jetzt dem Netzwerk irgendwas zugewiesen."
    )


async def test_comment(chat: Chat) -> None:
    await file(chat)
    assert await chat.ask("!kommentar 1 Rückruf am Dienstag", sender=CAROL) == (
        "Kommentar zu Anfrage #1 gespeichert."
    )
    assert await chat.ask("!kommentar 1") == ("Bitte geben Sie den Kommentar an: !kommentar 1 …")
    reply = await chat.ask("!comment 1 " + "y" * 1001)
    assert "Der Kommentar ist zu lang (1001 Zeichen, höchstens 1000)" in reply
    assert "nicht" in await chat.ask("!kommentar 5 hallo")
    await chat.ask("!erledigt 1")
    assert "gespeichert" in await chat.ask("!kommentar 1 auch danach noch möglich")
    comments = [e for e in ticket_events(chat) if e.action == Action.COMMENTED]
    assert [(c.actor, c.detail) for c in comments] == [
        (CAROL, "Rückruf am Dienstag"),
        (ANNA, "auch danach noch möglich"),
    ]


async def test_close_note_too_long_stores_nothing(chat: Chat) -> None:
    await file(chat)
    reply = await chat.ask("!erledigt 1 " + "n" * 1001)
    assert "Die Notiz ist zu lang (1001 Zeichen, höchstens 1000)" in reply
    assert tickets_in(chat)[0].status == Status.OPEN


async def test_bad_numbers(chat: Chat) -> None:
    await file(chat)
    assert await chat.ask("!übernehmen 42") == (
        "Eine Anfrage #42 gibt es in diesem Raum nicht. Offene Anfragen: !tickets"
    )
    assert "keine Zahl" in await chat.ask("!übernehmen eins")
    assert "muss zwischen 1 und 999999 liegen" in await chat.ask("!übernehmen 0")
    assert "muss zwischen 1 und 999999 liegen" in await chat.ask("!ticket 99999999999")


# -- looking -------------------------------------------------------------------------------------


async def test_ticket_detail_shows_everything_and_the_audit_trail(
    chat: Chat, clock: FakeClock
) -> None:
    await chat.ask(EXPORT_REQUEST)
    clock.now += timedelta(hours=2)
    await chat.ask("!übernehmen 1", sender=BOB)
    await chat.ask("!zuweisen 1 export-thueringen", sender=BOB)
    clock.now += timedelta(days=1)
    await chat.ask("!kommentar 1 Termin\nam Freitag", sender=CAROL)
    reply = await chat.ask("!ticket 1")
    assert reply == (
        "Anfrage #1: Exportberatung nach Polen gesucht\n"
        "Status: übernommen von @bob:test\n"
        "Angelegt: 23.11.2026 10:00 von @anna:test (gestern)\n"
        "Firma: Müller Maschinenbau GmbH\n"
        "Kontakt: Herr Meier, meier@mueller.example, 0361 1234567\n"
        "Netzwerk: Exportnetzwerk Thüringen (export-thueringen)\n\n"
        "Exportberatung nach Polen gesucht\nDie Firma will ab 2027 liefern.\n\n"
        "Verlauf\n\n"
        "• 23.11.2026 10:00 – @anna:test: angelegt\n"
        "• 23.11.2026 12:00 – @bob:test: übernommen\n"
        "• 23.11.2026 12:00 – @bob:test: zugewiesen – Exportnetzwerk Thüringen "
        "(export-thueringen)\n"
        "• 24.11.2026 12:00 – @carol:test: Kommentar – Termin am Freitag"
    )
    assert chat.last.message.mentions == frozenset()
    # The detail message is about the ticket, so reactions on it work too.
    assert "ist erledigt" in (await chat.react(chat.last_event_id(), "✅", sender=BOB))[0]


async def test_list_filters_newest_first_with_age(chat: Chat, clock: FakeClock) -> None:
    await file(chat, "!anfrage Erste Anfrage")
    clock.now += timedelta(days=3)
    await file(chat, "!anfrage Zweite Anfrage", sender=BOB)
    clock.now += timedelta(days=1)
    await file(chat, "!anfrage Dritte Anfrage")
    await chat.ask("!zuweisen 3 export-thueringen")
    await chat.ask("!übernehmen 2", sender=BOB)
    await chat.ask("!erledigt 1")
    reply = await chat.ask("!tickets")
    assert reply == (
        "Offene Anfragen (2)\n\n"
        "• #3 Dritte Anfrage – offen · Exportnetzwerk Thüringen (export-thueringen) · heute\n"
        "• #2 Zweite Anfrage – übernommen von @bob:test · gestern"
    )
    assert await chat.ask("!tickets offen") == reply
    assert await chat.ask("!tickets OPEN") == reply
    assert await chat.ask("!tickets meine", sender=BOB) == (
        "Meine Anfragen (1)\n\n• #2 Zweite Anfrage – übernommen von @bob:test · gestern"
    )
    # Anna filed #1 (done) and #3: her own requests count as hers too.
    assert (await chat.ask("!tickets meine")).startswith(
        "Meine Anfragen (1)\n\n• #3 Dritte Anfrage"
    )
    assert await chat.ask("!tickets mine", sender=CAROL) == (
        "Meine Anfragen (0)\nKeine passenden Anfragen in diesem Raum."
    )
    everything = await chat.ask("!tickets alle")
    assert everything.startswith("Alle Anfragen (3)")
    assert "• #1 Erste Anfrage – erledigt · vor 4 Tagen" in everything
    assert (await chat.ask("!tickets erledigt")).startswith("Erledigte Anfragen (1)")
    assert await chat.ask("!tickets export-thueringen") == (
        "Offene Anfragen für Exportnetzwerk Thüringen (export-thueringen) (1)\n\n"
        "• #3 Dritte Anfrage – offen · Exportnetzwerk Thüringen (export-thueringen) · heute"
    )
    assert await chat.ask("!tickets quatsch") == (
        "quatsch ist kein Filter und kein bekanntes Netzwerk. "
        "Möglich: offen, meine, alle, erledigt oder eine Netzwerk-ID."
    )


async def test_list_is_bounded(chat: Chat) -> None:
    for n in range(33):
        await file(chat, f"!anfrage Anfrage {n + 1}")
    reply = await chat.ask("!tickets")
    lines = reply.splitlines()
    assert lines[0] == "Offene Anfragen (33)"
    assert lines[2].startswith("• #33 Anfrage 33")
    assert lines[-1] == "• … und 3 weitere – nach Netzwerk eingrenzen: !tickets <Netzwerk>"
    assert len([line for line in lines if line.startswith("• #")]) == 30


@pytest.mark.parametrize("which", ["", " alle"])
async def test_overdue_tickets_come_first(chat: Chat, clock: FakeClock, which: str) -> None:
    for n in range(3):
        await file(chat, f"!anfrage Alt {n + 1}")
    clock.now += timedelta(days=15)
    for n in range(32):
        await file(chat, f"!anfrage Neu {n + 1}")
    lines = (await chat.ask(f"!tickets{which}")).splitlines()
    numbered = [line for line in lines if line.startswith("• #")]
    # The longest waiting first, then the newest others up to the limit.
    assert [line.split()[1] for line in numbered[:4]] == ["#1", "#2", "#3", "#35"]
    assert all("überfällig" in line for line in numbered[:3])
    assert len(numbered) == 30 and lines[-1].startswith("• … und 5 weitere")


def file_directly(chat: Chat, clock: FakeClock, count: int, title: str) -> None:
    """`count` tickets filed by ANNA now, without a message each (fast for long lists)."""
    with chat.bot.store.transaction() as session:
        for n in range(count):
            request = parse_request(f"{title} {n + 1}")
            service.create_ticket(session, ROOM, ANNA, clock.now, request)


@pytest.mark.parametrize("which", ["", " alle", " meine"])
async def test_more_overdue_tickets_than_a_list_are_cut_oldest_first(
    chat: Chat, clock: FakeClock, which: str
) -> None:
    file_directly(chat, clock, 80, "Alt")
    clock.now += timedelta(days=15)
    await file(chat, "!anfrage Neu")
    lines = (await chat.ask(f"!tickets{which}")).splitlines()
    numbered = [line for line in lines if line.startswith("• #")]
    # The list stays bounded: the 30 longest waiting, none of the newer ones.
    assert [line.split()[1] for line in numbered] == [f"#{n}" for n in range(1, 31)]
    assert all("überfällig" in line for line in numbered)
    assert lines[-1].startswith("• … und 51 weitere")


async def test_hundreds_of_overdue_tickets_still_say_how_many_more(
    chat: Chat, clock: FakeClock
) -> None:
    # Unbounded, the list outgrew one message and the cut lost the '… und N weitere' line.
    file_directly(chat, clock, 400, "Eine recht lange Anfrage, die auf mehrere Netzwerke passt")
    clock.now += timedelta(days=15)
    lines = (await chat.ask("!tickets")).splitlines()
    assert len([line for line in lines if line.startswith("• #")]) == 30
    assert lines[-1] == "• … und 370 weitere – nach Netzwerk eingrenzen: !tickets <Netzwerk>"


async def test_the_rest_of_a_network_list_is_shown_one_by_one(chat: Chat) -> None:
    for n in range(31):
        await file(chat, f"!anfrage Export {n + 1}")
        await chat.ask(f"!zuweisen {n + 1} export-thueringen")
    reply = await chat.ask("!tickets export-thueringen")
    assert reply.splitlines()[-1] == "• … und 1 weitere – einzeln: !ticket <Nr>"
    await chat.ask("!sprache en")
    reply = await chat.ask("!tickets")
    assert reply.splitlines()[-1] == "• … and 1 more – narrow down by network: !tickets <network>"


# -- rooms ---------------------------------------------------------------------------------------


async def test_tickets_of_another_room_are_not_found(chat: Chat) -> None:
    await file(chat, "!anfrage Nur hier", room=OTHER_ROOM)
    not_found = "Eine Anfrage #1 gibt es in diesem Raum nicht. Offene Anfragen: !tickets"
    for command in (
        "!ticket 1",
        "!übernehmen 1",
        "!erledigt 1",
        "!wiedereröffnen 1",
        "!freigeben 1",
        "!kommentar 1 x",
        "!zuweisen 1 -",
    ):
        assert await chat.ask(command, sender=ADMIN) == not_found, command
    assert "Offene Anfragen (0)" in await chat.ask("!tickets")
    assert "Keine offenen Anfragen" in await chat.ask("!agenda")
    [ticket] = tickets_in(chat)
    assert ticket.status == Status.OPEN and ticket.room_id == OTHER_ROOM


# -- reactions -----------------------------------------------------------------------------------


async def test_hand_claims_and_check_closes(chat: Chat) -> None:
    target = await file(chat)
    assert await chat.react(target, "✋🏽", sender=BOB) == [
        "✋ @bob:test hat Anfrage #1 übernommen: Fachkräfte für Jena gesucht"
    ]
    assert chat.last.reply_to is None  # not "in reply to" a reaction
    assert await chat.react(target, "✋️", sender=BOB) == [
        "Anfrage #1 haben Sie bereits übernommen. 👍"
    ]
    assert await chat.react(target, "✋", sender=CAROL) == [
        "Anfrage #1 hat bereits @bob:test übernommen."
    ]
    assert (await chat.react(target, "✅", sender=CAROL))[0].startswith(
        "Schließen dürfen Anfrage #1 nur"
    )
    assert tickets_in(chat)[0].status == Status.CLAIMED
    replies = await chat.react(target, "✔️", sender=BOB)
    assert replies[0].startswith("✅ Anfrage #1 ist erledigt (@bob:test)")
    assert tickets_in(chat)[0].status == Status.DONE
    assert [e.action for e in ticket_events(chat)] == [
        Action.CREATED,
        Action.CLAIMED,
        Action.CLOSED,
    ]


async def test_reaction_on_a_later_ticket_message_acts_on_that_ticket(chat: Chat) -> None:
    await file(chat)
    await file(chat)
    await chat.ask("!übernehmen 1", sender=BOB)
    claimed_message = chat.last_event_id()
    await chat.react(claimed_message, "✅", sender=BOB)
    first, second = tickets_in(chat)
    assert first.status == Status.DONE and second.status == Status.OPEN


async def test_other_reactions_and_strangers_are_ignored(chat: Chat) -> None:
    target = await file(chat)
    assert await chat.react(target, "👍", sender=BOB) == []
    assert await chat.react(target, "✋", sender="@mallory:evil.example") == []
    assert await chat.react(target, "✋", sender=BOB, room=OTHER_ROOM) == []
    await chat.ask("!ping")
    assert await chat.react(chat.last_event_id(), "✋") == []  # not a ticket message
    assert tickets_in(chat)[0].status == Status.OPEN


async def test_reaction_is_handled_once(chat: Chat) -> None:
    target = await file(chat)
    event = Incoming("!room:test", BOB, "$react1", kind="reaction", relates_to=target, key="✋")
    assert len(await chat.send(event)) == 1
    assert await chat.send(event) == []


# -- help and plugin wiring ----------------------------------------------------------------------


async def test_help_lists_the_ticket_commands(chat: Chat) -> None:
    text = await chat.ask("!hilfe")
    assert "Anfragen" in text
    for name in (
        "!anfrage",
        "!übernehmen",
        "!erledigt",
        "!wiedereröffnen",
        "!zuweisen",
        "!kommentar",
        "!ticket",
        "!tickets",
        "!agenda",
        "!freigeben",
    ):
        assert f"{name} –" in text, name
    usage = await chat.ask("!hilfe zuweisen")
    assert "Aufruf: !zuweisen <Nr> <Netzwerk-ID|@name:server|->" in usage


async def test_events_plugin_without_week_section_is_tolerated(
    settings: Settings, clock: FakeClock
) -> None:
    chat = await make_chat(settings, [EventsWithoutWeekSection, TicketsPlugin], clock=clock)
    assert "Termin-Modul ist nicht aktiv" in await chat.ask("!agenda")


async def test_whole_flow_on_sqlite_and_postgresql(
    settings: Settings, clock: FakeClock, db_url: str
) -> None:
    chat = await make_chat(settings, [FakeDirectory, TicketsPlugin], clock=clock, db_url=db_url)
    target = await file(chat, EXPORT_REQUEST)
    await file(chat, "!anfrage Zweite", room=OTHER_ROOM)
    assert (await chat.react(target, "✋", sender=BOB))[0].startswith("✋ @bob:test hat")
    assert await chat.react(target, "✋", sender=CAROL) == [
        "Anfrage #1 hat bereits @bob:test übernommen."
    ]
    assert "gespeichert" in await chat.ask("!kommentar 1 läuft", sender=CAROL)
    assert "zugewiesen" in await chat.ask("!zuweisen 1 export-thueringen", sender=BOB)
    assert (await chat.react(target, "✅", sender=CAROL))[0].startswith(
        "Schließen dürfen Anfrage #1 nur"
    )
    assert (await chat.react(target, "✅", sender=BOB))[0].startswith("✅ Anfrage #1 ist erledigt")
    assert "nicht" in await chat.ask("!ticket 2")
    assert "wieder offen" in await chat.ask("!wiedereröffnen 1")
    detail = await chat.ask("!ticket 1")
    assert detail.count("\n• ") == 6
    assert "Offene Anfragen (1)" in await chat.ask("!tickets")
    ticket = next(t for t in tickets_in(chat) if t.room_id == "!room:test")
    assert ticket.status == Status.OPEN and ticket.network_id == "export-thueringen"
    chat.bot.store.dispose()


async def test_tickets_can_be_filtered_by_a_networks_short_name(chat: Chat) -> None:
    await file(chat)
    await chat.ask("!zuweisen 1 export-thueringen")
    by_short = await chat.ask("!tickets ExNeT")
    assert by_short == await chat.ask("!tickets export-thueringen")
    assert "#1" in by_short
