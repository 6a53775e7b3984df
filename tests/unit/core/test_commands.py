"""The command layer end to end on the memory transport."""

from __future__ import annotations

from typing import Annotated

import pytest

from bot.commands import (
    ArgumentError,
    IntRange,
    ParsedCommand,
    Rest,
    UserId,
    command,
    params_of,
    parse_arguments,
    split_command,
)
from bot.config import Settings
from bot.context import Context
from bot.models import KeyValue
from bot.plugin import Plugin, listener, on_reaction
from bot.store import set_value
from tests.harness import Chat, make_chat


class Sample(Plugin):
    name = "sample"
    title = "sample.title"
    catalogue = {
        "de": {
            "sample.title": "Beispiel",
            "sample.cmd.note": "Merkt sich etwas.",
            "sample.cmd.boom": "Geht kaputt.",
            "sample.cmd.secret": "Nur für Admins.",
            "sample.cmd.give": "Gibt jemandem etwas.",
            "sample.usage.note": "<Nummer> <Text>",
            "sample.saved": "Notiz {number} gespeichert.",
            "sample.refused": "Nein.",
        },
        "en": {
            "sample.title": "Sample",
            "sample.cmd.note": "Remembers something.",
            "sample.cmd.boom": "Breaks.",
            "sample.cmd.secret": "Admins only.",
            "sample.cmd.give": "Gives someone something.",
            "sample.usage.note": "<number> <text>",
            "sample.saved": "Note {number} saved.",
            "sample.refused": "No.",
        },
    }

    @command("notiz", en="note", help="sample.cmd.note", usage="sample.usage.note")
    async def note(self, ctx: Context, number: Annotated[int, IntRange(1, 99)], text: Rest) -> None:
        set_value(ctx.session, f"note.{number}", text)
        ctx.reply(ctx.t("sample.saved", number=number), tag=f"sample:{number}")

    @command("kaputt", en="boom", help="sample.cmd.boom")
    async def boom(self, ctx: Context, number: int) -> None:
        set_value(ctx.session, f"note.{number}", "half")
        if number == 1:
            ctx.fail("sample.refused")
        if number == 3:  # a handler that reads its arguments further itself
            raise ArgumentError("core.arg.missing", name="text")
        raise RuntimeError("boom")

    @command("geheim", en="secret", help="sample.cmd.secret", admin=True)
    async def secret(self, ctx: Context) -> None:
        ctx.reply("ok")

    @command("geben", en="give", help="sample.cmd.give")
    async def give(self, ctx: Context, user: UserId, count: int = 1) -> None:
        ctx.reply(f"{count} für {user}")

    @command("quelle add", en="source add", help="sample.cmd.note")
    async def source_add(self, ctx: Context, name: str) -> None:
        ctx.reply(f"added {name}")

    @command("quelle list", en="source list", help="sample.cmd.note")
    async def source_list(self, ctx: Context) -> None:
        ctx.reply("list")

    @listener
    async def hello(self, ctx: Context, text: str) -> bool:
        if text.lower().startswith("hallo lotse"):
            ctx.reply("Hallo!")
            return True
        return False

    @on_reaction
    async def reacted(self, ctx: Context, key: str, tag: str) -> None:
        ctx.reply(f"{key} on {tag}")


@pytest.fixture
async def chat(settings: Settings) -> Chat:
    return await make_chat(settings, [Sample])


def stored(chat: Chat, key: str) -> str | None:
    with chat.bot.store.session() as session:
        row = session.get(KeyValue, key)
        return row.value if row else None


async def test_help_lists_commands_grouped_by_plugin_in_german(chat: Chat) -> None:
    text = await chat.ask("!hilfe")
    assert text.startswith("Befehle von Lotse")
    assert "Allgemein" in text and "Beispiel" in text
    assert "!notiz – Merkt sich etwas." in text
    assert "!geheim" not in text  # admin commands are shown to admins only
    admin_text = await chat.ask("!hilfe", sender="@admin:test")
    assert "!geheim" in admin_text


async def test_help_on_one_command_shows_usage_and_aliases(chat: Chat) -> None:
    text = await chat.ask("!hilfe notiz")
    assert "Aufruf: !notiz <Nummer> <Text>" in text
    assert "Auch: !note" in text
    assert "gibt es nicht" in await chat.ask("!hilfe gibtsnicht")
    group = await chat.ask("!hilfe quelle")
    assert "!quelle add" in group and "!quelle list" in group
    one = await chat.ask("!hilfe quelle add")  # a command of two words, as the list shows it
    assert "!quelle add" in one and "!quelle list" not in one


async def test_english_alias_and_language_switch(chat: Chat) -> None:
    assert await chat.ask("!note 3 hello world") == "Notiz 3 gespeichert."
    assert stored(chat, "note.3") == "hello world"
    assert await chat.ask("!sprache en") == "From now on I speak English here."
    assert await chat.ask("!notiz 4 x") == "Note 4 saved."
    # Other rooms keep the default, and the choice survives a restart (it is stored).
    assert await chat.ask("!notiz 5 x", room="!other:test") == "Notiz 5 gespeichert."
    await chat.bot.setup()
    assert chat.bot.language_of("!room:test") == "en"


async def test_unknown_command_suggests_closest(chat: Chat) -> None:
    text = await chat.ask("!notitz 3 x")
    assert "Unbekannter Befehl !notitz" in text
    assert "Meinten Sie !notiz?" in text


async def test_umlaut_free_spelling_finds_command(settings: Settings) -> None:
    chat = await make_chat(settings, [])
    assert "Deutsch" in await chat.ask("!SPRACHE de")


async def test_bad_arguments_give_usage_and_change_nothing(chat: Chat) -> None:
    text = await chat.ask("!notiz drei hallo")
    assert "drei ist keine Zahl" in text and "Aufruf: !notiz <Nummer> <Text>" in text
    assert "muss zwischen 1 und 99 liegen" in await chat.ask("!notiz 100 x")
    assert "muss zwischen 1 und 99 liegen" in await chat.ask("!notiz -1 x")  # like 0
    assert "muss zwischen 1 und 99 liegen" in await chat.ask("!notiz #-5 x")
    assert "muss zwischen 1 und 99 liegen" in await chat.ask("!notiz 99999999999999999999 x")
    assert await chat.ask("!notiz 3") == (  # the name is translated
        "Da fehlt noch etwas: Text.\nAufruf: !notiz <Nummer> <Text>"
    )
    assert "muss zwischen 1 und 99 liegen" in await chat.ask("!notiz 99999999999999999999 x")
    assert "99999999999999999999" not in await chat.ask("!notiz 999999999999999999999 x")
    assert "keine Matrix-ID" in await chat.ask("!geben anna")
    assert await chat.ask("!geben @bob:test 2") == "2 für @bob:test"
    assert stored(chat, "note.3") is None


async def test_subcommands_and_group_overview(chat: Chat) -> None:
    assert await chat.ask("!quelle add feed1") == "added feed1"
    assert await chat.ask("!source add feed2") == "added feed2"
    overview = await chat.ask("!quelle")
    assert "!quelle add" in overview and "!quelle list" in overview


async def test_admin_command_refused_for_members(chat: Chat) -> None:
    assert await chat.ask("!geheim") == "Das dürfen nur Admins."
    assert await chat.ask("!geheim", sender="@admin:test") == "ok"


async def test_user_error_rolls_back_and_explains(chat: Chat) -> None:
    assert await chat.ask("!kaputt 1") == "Nein."
    assert stored(chat, "note.1") is None


async def test_crash_in_handler_rolls_back_and_bot_goes_on(chat: Chat) -> None:
    assert "schiefgegangen" in await chat.ask("!kaputt 2")
    assert stored(chat, "note.2") is None
    assert await chat.ask("!ping") == "Pong!"


async def test_too_long_command_is_refused(chat: Chat) -> None:
    text = await chat.ask("!notiz 1 " + "x" * 5000)
    assert "zu lang" in text and "4000" in text
    assert stored(chat, "note.1") is None


async def test_users_outside_allowed_list_are_refused(chat: Chat) -> None:
    assert await chat.ask("!ping", sender="@mallory:evil.example") == (
        "Sie dürfen Lotse nicht verwenden."
    )


async def test_strangers_plain_chat_reaches_no_listener(chat: Chat) -> None:
    assert await chat.say("Hallo Lotse, wie geht's?", sender="@mallory:evil.example") == []
    assert await chat.say("Hallo Lotse, wie geht's?") == ["Hallo!"]


async def test_event_is_deferred_while_the_store_fails_then_handled_once(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    from bot.transport.base import EventDeferred, Incoming

    real_commit = Session.commit

    def failing_commit(self: Session) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    event = Incoming("!room:test", "@anna:test", "$flaky", "!ping")
    monkeypatch.setattr(Session, "commit", failing_commit)
    with pytest.raises(EventDeferred):
        await chat.send(event)
    assert chat.transport.sent == []  # nothing was sent for an event that is not recorded
    monkeypatch.setattr(Session, "commit", real_commit)
    assert [out.message.plain for out in await chat.send(event)] == ["Pong!"]
    assert await chat.send(event) == []


async def test_same_event_is_handled_once(chat: Chat) -> None:
    from bot.transport.base import Incoming

    event = Incoming("!room:test", "@anna:test", "$same", "!ping")
    assert len(await chat.send(event)) == 1
    assert await chat.send(event) == []


async def test_own_messages_are_ignored(chat: Chat) -> None:
    assert await chat.say("!ping", sender=chat.transport.user_id) == []


async def test_listener_answers_plain_text_and_ignores_chatter(chat: Chat) -> None:
    assert await chat.say("Hallo Lotse, wie geht's?") == ["Hallo!"]
    assert await chat.say("Guten Morgen zusammen") == []


async def test_reaction_reaches_the_plugin_that_tagged_the_message(chat: Chat) -> None:
    await chat.ask("!notiz 7 x")
    target = chat.last_event_id()
    assert await chat.react(target, "✅") == ["✅ on sample:7"]
    assert await chat.react("$unknown", "✅") == []
    # The answer relates to the reacted message, not to the reaction event.
    assert chat.last.reply_to == target


async def test_reactions_of_strangers_are_ignored(chat: Chat) -> None:
    await chat.ask("!notiz 7 x")
    target = chat.last_event_id()
    assert await chat.react(target, "✅", sender="@mallory:evil.example") == []


async def test_a_room_that_cannot_be_sent_to_holds_back_only_its_own_messages(
    chat: Chat,
) -> None:
    chat.transport.failing_rooms = {"!other:test"}
    assert await chat.say("!ping", room="!other:test") == []
    assert await chat.say("!hilfe ping", room="!other:test") == []
    assert await chat.say("!ping") == ["Pong!"]  # the default room is not held back
    chat.transport.failing_rooms = set()
    assert await chat.bot.flush_outbox() == 0
    late = [out for out in chat.transport.sent if out.room_id == "!other:test"]
    assert [out.message.plain.split()[0] for out in late] == ["Pong!", "!ping"]  # in order


async def test_transient_send_failure_is_retried_from_the_outbox(chat: Chat) -> None:
    chat.transport.fail_next = 1
    assert await chat.say("!ping") == []  # the send failed, the reply waits in the outbox
    assert await chat.bot.flush_outbox() == 0
    assert [o.message.plain for o in chat.transport.sent] == ["Pong!"]


def test_split_command() -> None:
    assert split_command("!ping", "!") is not None
    assert split_command("! ping", "!") is None
    assert split_command("ping", "!") is None
    parsed = split_command("!kommentar 3 zeile1\nzeile2", "!")
    assert parsed is not None and parsed.args == "3 zeile1\nzeile2"
    for body in ("!kommentar\t3 text", "!kommentar\n3 text", "!kommentar\u00a03 text"):
        assert split_command(body, "!") == ParsedCommand("kommentar", "3 text"), body


def test_quoted_arguments() -> None:
    async def handler(self: object, ctx: object, name: str, rest: Rest) -> None: ...

    values = parse_arguments(params_of(handler), '"Thüringer Netz" https://x.example/a b')
    assert values == {"name": "Thüringer Netz", "rest": "https://x.example/a b"}


def test_optional_rest_takes_the_remaining_words() -> None:
    async def handler(self: object, ctx: object, period: Rest | None = None) -> None: ...

    params = params_of(handler)
    assert parse_arguments(params, "14 Tage") == {"period": "14 Tage"}
    assert parse_arguments(params, "") == {"period": None}


class Long(Plugin):
    name = "long"
    title = "sample.title"

    @command("lang", en="long", help="sample.cmd.note")
    async def long(self, ctx: Context) -> None:
        ctx.reply("\n".join(f"- Zeile {i} mit etwas Text" for i in range(5000)))


async def test_long_answers_are_cut_lower_in_encrypted_rooms(settings: Settings) -> None:
    from bot.messages import MAX_ENCRYPTED_MESSAGE_BYTES, MAX_MESSAGE_BYTES, wire_size

    chat = await make_chat(settings, [Sample, Long])
    chat.transport.encrypted_rooms.add("!secret:test")
    await chat.say("!lang")
    plain = wire_size(chat.last.message)
    await chat.say("!lang", room="!secret:test")
    encrypted = wire_size(chat.last.message)
    assert MAX_ENCRYPTED_MESSAGE_BYTES * 0.9 < encrypted <= MAX_ENCRYPTED_MESSAGE_BYTES
    assert MAX_MESSAGE_BYTES * 0.9 < plain <= MAX_MESSAGE_BYTES


async def test_shutdown_with_the_database_down_still_closes_the_transport(
    chat: Chat, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from sqlalchemy.exc import OperationalError
    from sqlmodel import Session

    closed: list[bool] = []

    async def close() -> None:
        closed.append(True)

    def failing_exec(self: Session, *args: object, **kwargs: object) -> None:
        raise OperationalError("SELECT", {}, Exception("connection refused\nDETAIL: x"))

    monkeypatch.setattr(chat.transport, "close", close)
    monkeypatch.setattr(Session, "exec", failing_exec)
    await chat.bot.shutdown()  # no exception
    assert closed == [True]
    assert "pending messages not sent at shutdown" in caplog.text


async def test_old_ledger_entries_and_sent_replies_are_pruned(chat: Chat) -> None:
    from datetime import UTC, datetime, timedelta

    from sqlmodel import select, update

    from bot.models import HandledEvent, OutboxMessage

    await chat.ask("!ping")
    await chat.ask("!notiz 3 x")  # tagged: reactions to it must keep working
    chat.bot.prune_if_due()
    assert len(chat.transport.sent) == 2 and chat.bot.store.is_handled("$ev1")
    old = datetime.now(UTC) - timedelta(days=31)
    with chat.bot.store.transaction() as session:
        session.exec(update(HandledEvent).values(handled_at=old))
        session.exec(update(OutboxMessage).values(sent_at=old))
    chat.bot.prune_if_due()  # ran a moment ago: not due yet
    assert chat.bot.store.is_handled("$ev1")
    chat.bot._pruned_at = None
    chat.bot.prune_if_due()
    assert not chat.bot.store.is_handled("$ev1") and not chat.bot.store.is_handled("$ev2")
    with chat.bot.store.session() as session:
        tags = [row.tag for row in session.exec(select(OutboxMessage))]
    assert tags == ["sample:3"]


async def test_an_argument_error_from_a_handler_is_said_as_the_core_says_it(chat: Chat) -> None:
    assert await chat.ask("!kaputt 3") == "Da fehlt noch etwas: Text.\nAufruf: !kaputt <number>"
    assert stored(chat, "note.3") is None  # and what the handler wrote is rolled back


def test_unquoted_reads_a_rest_argument_as_one_phrase() -> None:
    from bot.commands import unquoted

    assert unquoted('  "Fachkräftenetzwerk   Jena" ') == "Fachkräftenetzwerk Jena"
    assert unquoted("„Fachkräftenetzwerk Jena“") == "Fachkräftenetzwerk Jena"
    assert unquoted("Fachkräftenetzwerk  Jena") == "Fachkräftenetzwerk Jena"
    assert unquoted('"a" und "b"') == '"a" und "b"'  # quotes not around all of it stay
