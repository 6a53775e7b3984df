"""Directory: "who handles X?" from the shared knowledge base of networks and contacts."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from rapidfuzz import fuzz, process
from sqlalchemy import event
from sqlmodel import Session

from bot.cli_args import unreadable_file, whole_number, write_output
from bot.commands import ArgumentError, Rest, command, unquoted
from bot.config import Settings
from bot.context import Context
from bot.i18n import Translator
from bot.messages import is_user_id, md_code, md_escape, mention
from bot.plugin import Plugin, listener
from plugins.contracts import ContactRef, NetworkSuggestion
from plugins.directory import service, views
from plugins.directory.i18n import CATALOGUE
from plugins.directory.kb import Contact, KnowledgeBase, Network
from plugins.directory.kb_file import (
    LIMITS,
    KbFileError,
    dump_kb,
    entry_key,
    is_matrix_id,
    load_kb,
    text_problem,
)
from plugins.directory.questions import bot_names, command_topic, parse_question
from plugins.directory.search import CONFIDENT_SCORE, MAX_QUERY_CHARS, DirectoryIndex, Hit
from plugins.directory.text import Normaliser, fold

log = logging.getLogger(__name__)
DEMO_KB = Path(__file__).parent / "demo_kb.yaml"
MAX_QUERY = MAX_QUERY_CHARS  # a ticket's whole text: its subject may come last
MAX_LIMIT = 50


@dataclass(frozen=True)
class _Snapshot:
    version: str
    kb: KnowledgeBase
    index: DirectoryIndex
    by_id: dict[str, Network] = field(default_factory=dict)  # kb.network() is a linear scan
    # What other plugins ask per ticket or event, looked up rather than scanned each time.
    by_name: dict[str, Network] = field(default_factory=dict)  # service.networks_by_name
    by_matrix: dict[str, frozenset[str]] = field(default_factory=dict)  # id -> network ids


class DirectoryPlugin(Plugin):
    name = "directory"
    title = "directory.title"
    catalogue = CATALOGUE
    migrations = Path(__file__).parent / "migrations"

    # A KB of more networks is rebuilt in a worker thread while the old index answers: at
    # 10,000 networks a build takes seconds, which the event loop (every room, every command)
    # must not wait for. Smaller KBs (500: ~0.1 s) are rebuilt at once, so an edit shows in
    # the very next answer. A count, not the last build's time: a slow moment of the machine
    # must not turn "shows at once" into "shows soon".
    inline_build_networks = 500

    _snapshot: _Snapshot | None = None
    _building: asyncio.Future[_Snapshot] | None = None

    # -- the index, rebuilt when the KB version changes (also by another process) ------------

    def snapshot(self) -> _Snapshot:
        with self.store.session() as session:
            version = service.kb_version(session)
        current = self._snapshot
        if current is not None and current.version == version:
            return current
        if current is not None and len(current.kb.networks) > self.inline_build_networks:
            self._build_in_background()
            return current  # until the new index is ready
        return self._install(self._build())

    def _build(self) -> _Snapshot:
        """Load the KB and index it; safe in a worker thread (own session, own index)."""
        with self.store.session() as session:
            while True:  # the version must belong to the KB read (PostgreSQL reads committed)
                version = service.kb_version(session)
                kb = service.load(session)
                if service.kb_version(session) == version:
                    break
                session.rollback()
        index = DirectoryIndex.build(kb)
        by_id = {network.id: network for network in kb.networks}
        by_matrix: dict[str, set[str]] = {}
        for network in kb.networks:
            for contact in network.contacts:
                if contact.matrix:
                    # Exactly as written, like service.is_manager: one rule for who edits a
                    # network and whose tickets its contacts handle.
                    by_matrix.setdefault(contact.matrix, set()).add(network.id)
        return _Snapshot(
            version,
            kb,
            index,
            by_id,
            service.networks_by_name(kb),
            {user: frozenset(ids) for user, ids in by_matrix.items()},
        )

    def _install(self, built: _Snapshot) -> _Snapshot:
        self._snapshot = built
        return built

    def _build_in_background(self) -> None:
        if self._building is not None and not self._building.done():
            return  # the running build checks the version again when it is done
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script): nobody to keep answering
            self._install(self._build())
            return
        self._building = loop.run_in_executor(None, self._build)
        self._building.add_done_callback(self._built)

    def _built(self, future: asyncio.Future[_Snapshot]) -> None:
        if future.cancelled():
            return
        if future.exception() is not None:
            log.error("directory index rebuild failed", exc_info=future.exception())
            return
        self._install(future.result())
        self.snapshot()  # changed again meanwhile? then build once more

    async def index_ready(self) -> None:
        """Wait for a rebuild in progress (tests, the benchmark)."""
        while self._building is not None and not self._building.done():
            await asyncio.shield(self._building)

    def _rebuild_after_commit(self, session: Session) -> None:
        """An edit from the room: rebuild as soon as it is committed, not at the next question."""

        def committed(_session: Session) -> None:
            asyncio.get_running_loop().call_soon(self.snapshot)

        event.listen(session, "after_commit", committed, once=True)

    async def start(self) -> None:
        # Build the index before the first question arrives, without holding up the loop.
        self._install(await asyncio.to_thread(self._build))

    async def stop(self) -> None:
        await self.index_ready()  # a build reading the store while it closes would fail

    # -- DirectoryApi, for other plugins -----------------------------------------------------

    def who_handles(self, text: str, limit: int = 3) -> list[NetworkSuggestion]:
        return self.suggestions(
            text, limit, self.services.catalogues.translator(self.settings.language)
        )

    def suggestions(
        self, text: str, limit: int, t: Translator, *, guesses: bool = True
    ) -> list[NetworkSuggestion]:
        """who_handles, with the reasons that are no KB phrase ("Name: …") in t's language;
        `guesses=False` for a plain question (`DirectoryIndex.search`)."""
        return self._found(text, limit, t, guesses=guesses)[0]

    def _found(
        self, text: str, limit: int, t: Translator, *, guesses: bool = True
    ) -> tuple[list[NetworkSuggestion], set[str]]:
        """`suggestions`, and the ids of those that no KB phrase explains (their `matched`
        are fields: "Beschreibung: Jena"), which an answer introduces differently."""
        snap = self.snapshot()
        hits = snap.index.search(
            text[:MAX_QUERY], limit=max(1, min(limit, MAX_LIMIT)), guesses=guesses
        )
        by_field = {hit.network_id for hit in hits if not hit.matched and hit.fields}
        return [_suggestion(snap.by_id[hit.network_id], hit, t) for hit in hits], by_field

    def network_name(self, network_id: str) -> str | None:
        network = self.snapshot().by_id.get(network_id)
        return (network.short or network.name) if network else None

    def network_id(self, name: str) -> str | None:
        network = self.snapshot().by_name.get(service.name_key(name))
        return network.id if network else None

    def network_of_user(self, matrix_id: str) -> str | None:
        found = self.networks_of_user(matrix_id)
        return next(iter(found)) if len(found) == 1 else None  # two networks: no single label

    def networks_of_user(self, matrix_id: str) -> frozenset[str]:
        return self.snapshot().by_matrix.get(matrix_id, frozenset())

    # -- chat -------------------------------------------------------------------------------------

    @command(
        "wer",
        en="who",
        aliases=("zuständig",),
        help="directory.cmd.who",
        usage="directory.usage.who",
    )
    async def who(self, ctx: Context, topic: Rest) -> None:
        # "!who handles hydrogen?" / "!wer ist zuständig für X" / "!wer für X": the question
        # words are not part of the topic; nothing but them is no topic at all.
        asked = command_topic(topic)
        if not asked:
            raise ArgumentError("core.arg.missing", name="topic")
        self._answer(ctx, asked)

    @listener
    async def question(self, ctx: Context, text: str) -> bool:
        # Nobody asked the bot: it speaks up only with a confident answer, never with "found
        # nothing" or a guess ("Wer kümmert sich um den Raum für Donnerstag?" is not about
        # Raumfahrt). `!wer` is the way to get the weak matches and the closest topics.
        # Addressed to someone else ("Frau Müller, wer …"), it is not the bot's to answer.
        asked = parse_question(text, bot_names(self.settings.matrix_user_id))
        if asked is None:
            return False
        # Answered in the language it was asked in ("Hi, who handles X?" in English, "Wer ist
        # zuständig für X?" in German), whatever the room speaks; a command (`!wer`, `!who`)
        # answers in the room's language.
        t = ctx.translator_for(asked.language)
        found, by_field = self._found(asked.topic, 3, t, guesses=False)
        hits = [hit for hit in found if hit.score >= CONFIDENT_SCORE]
        if not hits:
            return False
        ctx.reply(views.who_answer(t, asked.topic, hits, [], by_field))
        return True

    def _answer(self, ctx: Context, query: str) -> None:
        snap = self.snapshot()
        if not snap.kb.networks:
            ctx.reply(ctx.t("directory.who.empty_kb"))
            return
        hits, by_field = self._found(query, 3, ctx.t)
        closest = [] if hits else snap.index.closest_topics(query[:MAX_QUERY], 5)
        ctx.reply(views.who_answer(ctx.t, query, hits, closest, by_field))

    @command(
        "netzwerk", en="network", help="directory.cmd.network", usage="directory.usage.network"
    )
    async def network(self, ctx: Context, name: Rest) -> None:
        kb = self.snapshot().kb
        found = service.find_network(kb, name)
        if found is None:
            self._unknown_network(ctx, kb, name)
        ctx.reply(views.profile(ctx.t, found))

    def _unknown_network(self, ctx: Context, kb: KnowledgeBase, name: str) -> NoReturn:
        close = service.closest_networks(kb, name)
        if close:
            ids = ", ".join(md_code(network.id) for network, _score in close)
            ctx.fail("directory.network.ambiguous", name=md_code(name[:80]), ids=ids)
        ctx.fail("directory.network.unknown", name=md_code(name[:80]), prefix=ctx.prefix)

    @command("netzwerke", en="networks", help="directory.cmd.networks")
    async def networks(self, ctx: Context) -> None:
        kb = self.snapshot().kb
        ctx.reply(views.network_list(ctx.t, kb) if kb.networks else ctx.t("directory.who.empty_kb"))

    @command(
        "thema add",
        en="topic add",
        aliases=("thema hinzufügen",),
        help="directory.cmd.topic_add",
        usage="directory.usage.topic",
    )
    async def topic_add(self, ctx: Context, network: str, topic: Rest) -> None:
        # "!thema add digital KI, Maschinelles Lernen, "Cloud Native"": several at once.
        found, rest = self._managed(ctx, network, topic, bool)
        topics = _topics(rest)
        if not topics:
            raise ArgumentError("core.arg.missing", name="topic")
        for one in topics:
            _check_topic(ctx, one)
        new: dict[str, str] = {}  # each once, as first written
        have: dict[str, None] = {}  # as the network spells them
        for one in topics:
            same = service.existing_topic(found, one)
            if same is None:
                new.setdefault(entry_key(one), one)
            else:
                have[same] = None
        if new and len(found.topics) + len(new) > service.MAX_TOPICS:
            if len(found.topics) >= service.MAX_TOPICS:
                ctx.fail("directory.topic.too_many", network=_name(found), limit=service.MAX_TOPICS)
            ctx.fail(
                "directory.topic.too_many_more",
                network=_name(found),
                count=len(found.topics),
                more=len(new),
                limit=service.MAX_TOPICS,
            )
        added = service.add_topics(ctx.session, found, list(new.values()), ctx.now)
        if added:
            self._rebuild_after_commit(ctx.session)
        ctx.reply(
            _topic_report(
                ctx, found, ("directory.topic.added", added), ("directory.topic.exists", list(have))
            )
        )

    @command(
        "thema remove",
        en="topic remove",
        aliases=("thema entfernen", "thema löschen"),
        help="directory.cmd.topic_remove",
        usage="directory.usage.topic",
    )
    async def topic_remove(self, ctx: Context, network: str, topic: Rest) -> None:
        found, rest = self._managed(ctx, network, topic, bool)
        # A topic of the network with a comma in it (from the file) is named whole.
        whole = unquoted(rest)
        topics = [whole] if service.existing_topic(found, whole) else _topics(rest)
        if not topics:
            raise ArgumentError("core.arg.missing", name="topic")
        removed = service.remove_topics(ctx.session, found, topics, ctx.now)
        if removed:
            self._rebuild_after_commit(ctx.session)
        gone = {entry_key(t) for t in removed}
        missing = [t[:80] for t in topics if entry_key(t) not in gone]
        ctx.reply(
            _topic_report(
                ctx,
                found,
                ("directory.topic.removed", removed),
                ("directory.topic.missing", missing),
            )
        )

    @command(
        "kontakt add",
        en="contact add",
        aliases=("kontakt hinzufügen",),
        help="directory.cmd.contact_add",
        usage="directory.usage.contact_add",
    )
    async def contact_add(self, ctx: Context, network: str, user: Rest) -> None:
        found, rest = self._managed(ctx, network, user, _starts_with_user)
        user, name = _first_word(rest)
        self._check_user(user)
        if not name.strip():
            raise ArgumentError("core.arg.missing", name="name")
        # The core takes any "@x:y" for a user id; the KB file is stricter, and what is
        # stored here must be exportable and importable again.
        if not is_matrix_id(user):
            ctx.fail("directory.contact.bad_matrix", user=md_code(user[:80]))
        name = " ".join(name.split())
        _check_text(ctx, name, "contact.name", "directory.contact.name_too_long")
        contact = Contact(name=name, matrix=user)
        same = service.existing_contact(found, contact)
        if same is not None:
            shown = md_escape(same.name)
            if same.matrix:
                shown = mention(same.matrix, same.name, notify=False)
            ctx.reply(ctx.t("directory.contact.exists", network=_name(found), contact=shown))
            return
        try:
            service.add_contact(ctx.session, found, contact)
        except service.TooManyContacts as exc:
            ctx.fail("directory.contact.too_many", network=_name(found), limit=exc.limit)
        self._rebuild_after_commit(ctx.session)
        params = {"network": _name(found), "contact": mention(user, contact.name, notify=False)}
        ctx.reply(ctx.t("directory.contact.added", **params))

    @command(
        "kontakt remove",
        en="contact remove",
        aliases=("kontakt entfernen", "kontakt löschen"),
        help="directory.cmd.contact_remove",
        usage="directory.usage.contact_remove",
    )
    async def contact_remove(self, ctx: Context, network: str, user: Rest) -> None:
        found, rest = self._managed(ctx, network, user, _is_user)
        user, more = _first_word(rest)
        self._check_user(user)
        if more.strip():
            extra = md_code(more.strip()[:80])
            raise ArgumentError("core.arg.too_many", value=extra)
        removed = service.remove_contact(ctx.session, found, user)
        self._rebuild_after_commit(ctx.session)
        key = "directory.contact.removed" if removed else "directory.contact.missing"
        ctx.reply(ctx.t(key, network=_name(found), contact=md_code(user)))

    def _managed(
        self, ctx: Context, first: str, rest: str, fits: Callable[[str], bool]
    ) -> tuple[Network, str]:
        """The network the arguments begin with, and what follows it, if the sender may edit
        it (its contacts and admins). The network is named exactly (id, short name or name):
        an edit must not land on a similar network. A name of several words needs no
        quotes: the longest start of the arguments that names a network and leaves what
        `fits` the command (a topic, a Matrix id) is taken ("!thema add Netzwerk Maschinen-
        und Anlagenbau Thüringen Blech"). The core has taken the first word, or a quoted
        name, as `first`."""
        kb = service.load(ctx.session)
        readings = _readings(first, rest.strip())
        by_name = service.networks_by_name(kb)
        named = [
            (network, after)
            for name, after in readings
            if (network := by_name.get(service.name_key(name))) is not None
        ]
        if not named:
            self._unknown_network(ctx, kb, _meant(kb, readings, fits))
        found, after = next(((n, a) for n, a in named if fits(a)), named[0])
        if not (ctx.is_admin or service.is_manager(found, ctx.sender)):
            ctx.fail("directory.not_manager", network=_name(found))
        return found, after

    @staticmethod
    def _check_user(user: str) -> None:
        if not user:
            raise ArgumentError("core.arg.missing", name="user")
        if not is_user_id(user):
            raise ArgumentError("core.arg.user", value=md_code(user[:80]))

    async def demo(self, room_id: str) -> None:
        with self.store.transaction() as session:
            service.replace_all(session, load_kb(DEMO_KB.read_text("utf-8")), self.services.clock())

    # -- command line ---------------------------------------------------------------------------

    @classmethod
    def add_cli_parsers(
        cls,
        subparsers: argparse._SubParsersAction,
        common: argparse.ArgumentParser,
    ) -> None:
        kb = subparsers.add_parser("kb", parents=[common], help="the directory's knowledge base")
        actions = kb.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
        imp = actions.add_parser("import", parents=[common], help="replace the KB by a YAML file")
        imp.add_argument("file", type=Path)
        imp.set_defaults(handler=cli_import)
        exp = actions.add_parser("export", parents=[common], help="print the KB as YAML")
        exp.add_argument("--output", "-o", type=Path, help="write to this file instead")
        exp.set_defaults(handler=cli_export)
        who = actions.add_parser("who", parents=[common], help="who handles QUERY?")
        who.add_argument("query")
        who.add_argument("--json", action="store_true", help="machine-readable output")
        who.add_argument(
            "--limit",
            type=whole_number(1, MAX_LIMIT, "number of networks"),
            default=3,
            help=f"how many networks, 1 to {MAX_LIMIT} (default 3)",
        )
        who.set_defaults(handler=cli_who)


_WORD = re.compile(r"\S+")


def _readings(first: str, rest: str) -> list[tuple[str, str]]:
    """(a network's name, what follows it) for each way to read the start of the arguments
    as a name, longest first. `first` is the first word, or a quoted name taken as it is."""
    if any(ch.isspace() for ch in first):
        return [(first, rest)]
    words = list(_WORD.finditer(rest))
    readings = []
    for k in range(len(words), -1, -1):
        name = " ".join([first, *(w.group() for w in words[:k])])
        if len(name) <= LIMITS["name"]:
            readings.append((name, rest[words[k].start() :] if k < len(words) else ""))
    return readings


def _meant(kb: KnowledgeBase, readings: list[tuple[str, str]], fits: Callable[[str], bool]) -> str:
    """What a near miss named: of the readings that leave what the command needs, the one
    spelled most like a network's id, short name or name ("Netzwerk Maschinen- und
    Anlagenbau Thüringn"), else the shortest (the first word, or what precedes a Matrix id)."""
    fitting = [name for name, after in readings if fits(after)] or [readings[-1][0]]
    names = [
        fold(n) for network in kb.networks for n in (network.id, network.short, network.name) if n
    ]

    def likeness(reading: str) -> float:
        found = process.extractOne(fold(reading), names, scorer=fuzz.ratio, score_cutoff=80)
        return found[1] if found else 0.0

    return max(reversed(fitting), key=likeness)


def _first_word(text: str) -> tuple[str, str]:
    """The first word of `text` and the rest, split on any whitespace."""
    parts = text.split(None, 1)
    return (parts[0] if parts else "", parts[1] if len(parts) > 1 else "")


def _is_user(text: str) -> bool:
    """Exactly one Matrix id (what !kontakt remove takes after the network)."""
    return len(text.split()) == 1 and is_user_id(text.strip())


def _starts_with_user(text: str) -> bool:
    return bool(text.split()) and is_user_id(text.split()[0])


def _check_text(ctx: Context, value: str, limit_key: str, too_long: str) -> None:
    """The KB file's rules for a text typed in the room (`kb_file.text_problem`)."""
    problem = text_problem(value, limit_key)
    if problem == "directory.kb.control_characters":
        ctx.fail("directory.edit.control_characters")
    if problem is not None:
        ctx.fail(too_long, limit=LIMITS[limit_key])


# A list of topics: items separated by commas or semicolons (not the decimal comma of
# "Industrie 4,0"), each may be quoted to keep a comma of its own.
_TOPIC_ITEM = re.compile(
    r'\s*(?:"([^"]*)"|“([^”]*)”|„([^“”]*)[“”]|((?:[^,;"“”„]|(?<=\d),(?=\d))*))\s*(?:[,;]|$)'
)


def _topics(text: str) -> list[str]:
    """The topics of `!thema add|remove`: "KI, Maschinelles Lernen, "Cloud Native"" is
    three, without their quotes, white space folded; empty items ("A,, B,") are left out.
    Text that is no such list (a quote inside a topic) is one topic, unquoted as a `Rest`."""
    items: list[str] = []
    pos, end = 0, len(text.rstrip())
    while pos < end:
        match = _TOPIC_ITEM.match(text, pos)
        if match is None or match.end() == pos:
            return [topic] if (topic := unquoted(text)) else []
        items.append(" ".join(next(g for g in match.groups() if g is not None).split()))
        pos = match.end()
    return [item for item in items if item]


def _check_topic(ctx: Context, topic: str) -> None:
    """The file's rules, and a word to find it by: "a" or "🚀" could never be found (one
    letter is no word of the index), nor "für die" (fillers only)."""
    _check_text(ctx, topic, "topic", "directory.topic.too_long")
    if not Normaliser().words(topic):
        ctx.fail("directory.topic.unsearchable", topic=md_code(topic))


def _topic_report(ctx: Context, network: Network, *parts: tuple[str, list[str]]) -> str:
    """One line per kind of outcome ("… hinzugefügt.", "… hat … schon."), singular or plural
    ("directory.topic.added" / "directory.topic.added_many")."""
    lines = []
    for key, topics in parts:
        if topics:
            many = key + "_many" if len(topics) > 1 else key
            # A topic with a comma of its own ("Edge, Fog") must not read as two.
            shown = ("; " if any("," in t for t in topics) else ", ").join(map(md_code, topics))
            lines.append(ctx.t(many, network=_name(network), topic=shown, topics=shown))
    return "  \n".join(lines)


def _name(network: Network) -> str:
    return md_escape(network.short or network.name)


def _suggestion(network: Network, hit: Hit, t: Translator) -> NetworkSuggestion:
    # Fields other than topics are said with their name: "Name: …", "Beschreibung: Lasern".
    fields = (t(f"directory.matched.{label}", text=text) for label, text in hit.fields)
    return NetworkSuggestion(
        network_id=network.id,
        name=network.name,
        short=network.short,
        score=round(hit.score, 4),
        matched=(*hit.matched, *fields),
        contacts=tuple(
            ContactRef(c.name, c.role, c.matrix, c.email, c.phone) for c in hit.contacts
        ),
    )


async def _directory(settings: Settings) -> DirectoryPlugin:
    from bot.cli import cli_plugin

    return await cli_plugin(settings, DirectoryPlugin)


async def cli_import(settings: Settings, args: argparse.Namespace) -> int:
    plugin = await _directory(settings)
    t = plugin.services.catalogues.translator(settings.language)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(unreadable_file(t, str(args.file), exc), file=sys.stderr)
        return 1
    try:
        kb = load_kb(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        print(t("directory.import.not_utf8", file=str(args.file), line=line), file=sys.stderr)
        return 1
    except KbFileError as exc:
        print(
            t("directory.import.failed", file=str(args.file), count=len(exc.errors)),
            file=sys.stderr,
        )
        for error in exc.errors:
            message = t(error.key, **error.params)
            print(
                "  "
                + (
                    t("directory.import.line", line=error.line, message=message)
                    if error.line
                    else message
                ),
                file=sys.stderr,
            )
        return 1
    with plugin.store.transaction() as session:
        report = service.replace_all(session, kb, plugin.services.clock())
    print(
        t(
            "directory.import.done",
            added=len(report.added),
            updated=len(report.updated),
            removed=len(report.removed),
            unchanged=report.unchanged,
        )
    )
    return 0


async def cli_export(settings: Settings, args: argparse.Namespace) -> int:
    plugin = await _directory(settings)
    text = dump_kb(plugin.snapshot().kb)
    t = plugin.services.catalogues.translator(settings.language)
    return 0 if write_output(t, text.encode("utf-8"), args.output) else 1


async def cli_who(settings: Settings, args: argparse.Namespace) -> int:
    """As `!wer` answers in the room: an empty query (or one of only "für", "zu" …) is
    refused, an empty directory says so."""
    from bot.messages import render

    plugin = await _directory(settings)
    t = plugin.services.catalogues.translator(settings.language)
    query = command_topic(args.query)
    if not query:
        print(t("core.arg.missing", name=t("core.argname.topic")), file=sys.stderr)
        print(t("core.usage", usage=t("directory.usage.cli_who")), file=sys.stderr)
        return 2
    if not plugin.snapshot().kb.networks:
        empty = render(t("directory.who.empty_kb")).plain
        if args.json:
            print("[]")
        print(empty, file=sys.stderr if args.json else sys.stdout)
        return 0
    hits, by_field = plugin._found(query, args.limit, t)
    if args.json:
        print(json.dumps([suggestion_json(hit) for hit in hits], ensure_ascii=False, indent=2))
        return 0
    closest = [] if hits else plugin.snapshot().index.closest_topics(query, 5)
    print(render(views.who_answer(t, query, hits, closest, by_field)).plain)
    return 0


def suggestion_json(hit: NetworkSuggestion) -> dict[str, object]:
    """The documented `lotse kb who --json` item."""
    return {
        "id": hit.network_id,
        "name": hit.name,
        "short": hit.short,
        "score": hit.score,
        "matched": list(hit.matched),
        "contacts": [
            {"name": c.name, "role": c.role, "matrix": c.matrix, "email": c.email, "phone": c.phone}
            for c in hit.contacts
        ],
    }
