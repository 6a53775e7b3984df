"""Requests ("Anfragen") that a room files, claims and closes, with an audit trail.

Commands parse and answer here; the rules live in `service`, the wording in `views`/`i18n`.
Every message about one ticket is tagged `tickets:<id>`, so ✋ and ✅ on it act on that ticket.
"""

from __future__ import annotations

import argparse
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from bot.commands import Number, Rest, command, fold, unquoted
from bot.context import Context, JobContext
from bot.messages import is_user_id, md_code, md_escape, mention
from bot.plugin import Plugin, job, on_reaction
from plugins.contracts import ContactRef, DirectoryApi, EventsApi, NetworkSuggestion
from plugins.tickets import service
from plugins.tickets.i18n import CATALOGUE
from plugins.tickets.models import NETWORK_ID_MAX, Ticket
from plugins.tickets.parsing import (
    COMMENT_MAX,
    NOTE_MAX,
    RequestProblem,
    parse_request,
)
from plugins.tickets.reactions import ReactionAction, reaction_action
from plugins.tickets.service import Assignment, Scope, TicketError
from plugins.tickets.settings import NotifyContacts, TicketsSettings
from plugins.tickets.views import LIST_LIMIT, View, WeekEvents, age_days

log = logging.getLogger(__name__)

TAG_PREFIX = "tickets:"
SUGGESTIONS = 3
CONTACTS_PER_NETWORK = 2
# A suggestion's contacts are pinged only from this score on. DirectoryApi scores run from 0
# to 1 (plugins/directory/search.py): a whole topic scores 1, and under 0.2 lie the
# directory's guesses (a compound's head alone, half a word, a typo in a name), below the bar
# from which it answers a question nobody put to it. A ping interrupts a colleague as such an
# answer does, so the same bar. In the demo KB: "weitere Partner für ein Forschungsprojekt"
# brings FKA at 0.18 ("weitere" ~ "Weiterbildung"), "Fördergeld für eine neue Maschine" MAT
# at 0.16; "Beratung zu Lasertechnik" scores 0.35, "Photovoltaikanlage" 0.66,
# "Wasserstoff-Tankstelle für Spedition in Gotha" 0.27, "Laserschweißen von Blechen" 0.21.
# Weaker suggestions are still shown, set apart as hints and without their people.
NOTIFY_SCORE = 0.2
TIE = 1e-9  # scores this close are equal: only the id order would pick one of them
_NETWORK_ID = re.compile(rf"^[\w][\w.\-]{{0,{NETWORK_ID_MAX - 1}}}$")
# Words accepted after `!tickets` besides the catalogue's own (tickets.filter.*), any language.
_FILTER_ALIASES = {
    Scope.OPEN: ("offene", "offen"),
    Scope.MINE: ("meins", "my"),
    Scope.ALL: ("alles",),
    Scope.DONE: ("erledigte", "closed", "geschlossen", "geschlossene"),
}

Respond = Callable[[str, Ticket | None], None]


def tag_of(ticket: Ticket) -> str:
    return f"{TAG_PREFIX}{ticket.id}"


class TicketsPlugin(Plugin):
    name = "tickets"
    title = "tickets.title"
    catalogue = CATALOGUE
    migrations = Path(__file__).parent / "migrations"
    settings_model = TicketsSettings

    @property
    def options(self) -> TicketsSettings:
        assert isinstance(self.config, TicketsSettings)
        return self.config

    # -- filing ----------------------------------------------------------------------------------

    @command("anfrage", en="request", help="tickets.cmd.request", usage="tickets.usage.request")
    async def file_request(self, ctx: Context, text: Rest = "") -> None:
        try:
            request = parse_request(text)
        except RequestProblem as problem:
            params = dict(problem.params)
            if "field" in params:
                params["field"] = ctx.t(f"tickets.field.{params['field']}")
            example = self._cmd(ctx, "file_request", ctx.t("tickets.example.request"))
            ctx.fail(problem.key, example=example, **params)
        ticket = service.create_ticket(ctx.session, ctx.room_id, ctx.sender, ctx.now, request)
        ctx.reply(self._confirmation(ctx, ticket), tag=tag_of(ticket))

    def _confirmation(self, ctx: Context, ticket: Ticket) -> str:
        view = self._view(ctx.language, ctx.now)
        head = ctx.t("tickets.created", number=ticket.number, title=md_escape(ticket.title))
        fields = view.fields(ticket)
        if fields:
            head += "  \n" + " · ".join(f"{label}: {value}" for label, value in fields)
        blocks = [head, self._suggestions(ctx, ticket)]
        hint = ctx.t(
            "tickets.created.hint",
            claim=self._cmd(ctx, "claim", ticket.number),
            close=self._cmd(ctx, "close", ticket.number),
        )
        blocks.append(hint)
        return "\n\n".join(blocks)

    def _suggestions(self, ctx: Context, ticket: Ticket) -> str:
        directory = self._directory()
        if directory is None:
            return ctx.t("tickets.suggest.unavailable")
        try:
            found = directory.who_handles(ticket.text, limit=SUGGESTIONS)[:SUGGESTIONS]
        except Exception:  # a broken directory must not stop a ticket being filed
            log.exception("directory.who_handles failed; filing without suggestions")
            return ctx.t("tickets.suggest.unavailable")
        if not found:
            return ctx.t("tickets.suggest.none")
        strong = [s for s in found if s.score >= NOTIFY_SCORE - TIE]
        weak = found[len(strong) :]  # best first, so the weak ones are the tail
        blocks = []
        if strong:
            blocks.append(self._strong_block(ctx, strong))
        if weak:
            head = "tickets.suggest.weaker" if strong else "tickets.suggest.weak_head"
            blocks.append("\n".join([ctx.t(head), *map(_hint_line, weak)]))
        leader = _leader(strong)
        target = leader.network_id if leader else ctx.t("tickets.suggest.any_network")
        assign = self._cmd(ctx, "assign", ticket.number, target)
        blocks.append(ctx.t("tickets.suggest.assign_hint", command=assign))
        return "\n\n".join(blocks)

    def _strong_block(self, ctx: Context, strong: list[NetworkSuggestion]) -> str:
        """The suggestions worth a ping, their contacts pinged as configured: all of them,
        or the best one's when it leads (on a tie nobody's, rather than by id order)."""
        notify = self.options.ticket_notify_contacts
        pinged = {
            NotifyContacts.ALL: set(range(len(strong))),
            NotifyContacts.TOP: {0} if _leader(strong) else set(),
            NotifyContacts.NONE: set(),
        }[notify]
        lines = [ctx.t("tickets.suggest.head")]
        lines += [
            self._suggestion_line(ctx, suggestion, notify=rank in pinged)
            for rank, suggestion in enumerate(strong)
        ]
        block = "\n".join(lines)
        if notify == NotifyContacts.TOP and not pinged:
            block += "\n\n" + ctx.t("tickets.suggest.tied")
        return block

    @staticmethod
    def _suggestion_line(ctx: Context, suggestion: NetworkSuggestion, *, notify: bool) -> str:
        line = f"- **{_network_label(suggestion)}** {md_code(suggestion.network_id)}"
        contacts = [
            _contact(c, notify and c.matrix != ctx.sender)
            for c in suggestion.contacts[:CONTACTS_PER_NETWORK]
        ]
        if contacts:
            line += " – " + ctx.t("tickets.suggest.contacts", contacts=", ".join(contacts))
        return line

    # -- the lifecycle ---------------------------------------------------------------------------

    @command(
        "übernehmen",
        en="claim",
        aliases=("nehmen",),
        help="tickets.cmd.claim",
        usage="tickets.usage.number",
    )
    async def claim(self, ctx: Context, number: Number) -> None:
        with self._explained(ctx):
            ticket = service.get_ticket(ctx.session, ctx.room_id, number)
            self._claim(ctx, ticket, self._replier(ctx))

    def _claim(self, ctx: Context, ticket: Ticket, respond: Respond) -> None:
        outcome = service.claim(ctx.session, ticket, ctx.sender, ctx.now)
        ticket = outcome.ticket
        if not outcome.changed:
            respond(ctx.t("tickets.claim.already_yours", number=ticket.number), ticket)
            return
        respond(
            ctx.t(
                "tickets.claimed",
                user=md_escape(ctx.sender),
                number=ticket.number,
                title=md_escape(ticket.title),
            ),
            ticket,
        )

    @command(
        "freigeben",
        en="release",
        aliases=("unclaim",),
        help="tickets.cmd.release",
        usage="tickets.usage.number",
    )
    async def release(self, ctx: Context, number: Number) -> None:
        with self._explained(ctx):
            ticket = service.get_ticket(ctx.session, ctx.room_id, number)
            outcome = service.release(
                ctx.session, ticket, ctx.sender, ctx.now, is_admin=ctx.is_admin
            )
        ticket = outcome.ticket
        text = ctx.t("tickets.released", number=ticket.number, title=md_escape(ticket.title))
        ctx.reply(text, tag=tag_of(ticket))

    @command(
        "erledigt",
        en="close",
        aliases=("done",),
        help="tickets.cmd.close",
        usage="tickets.usage.close",
    )
    async def close(self, ctx: Context, number: Number, note: Rest = "") -> None:
        note = note.strip()
        if len(note) > NOTE_MAX:
            ctx.fail("tickets.error.note_too_long", length=len(note), limit=NOTE_MAX)
        with self._explained(ctx):
            ticket = service.get_ticket(ctx.session, ctx.room_id, number)
            self._close(ctx, ticket, note or None, self._replier(ctx))

    def _close(self, ctx: Context, ticket: Ticket, note: str | None, respond: Respond) -> None:
        outcome = service.close(
            ctx.session,
            ticket,
            ctx.sender,
            ctx.now,
            note,
            is_admin=ctx.is_admin,
            networks=self._networks_of(ctx.sender),
        )
        ticket = outcome.ticket
        lines = [
            ctx.t(
                "tickets.closed",
                number=ticket.number,
                user=md_escape(ctx.sender),
                title=md_escape(ticket.title),
            )
        ]
        if note:
            lines.append(ctx.t("tickets.closed.note", note=md_escape(" ".join(note.split()))))
        if ticket.filed_by != ctx.sender:
            # The one who asked should hear that it is done, so this one pings.
            lines.append(ctx.t("tickets.closed.notify", user=mention(ticket.filed_by)))
        respond("  \n".join(lines), ticket)

    @command(
        "wiedereröffnen",
        en="reopen",
        help="tickets.cmd.reopen",
        usage="tickets.usage.number",
    )
    async def reopen(self, ctx: Context, number: Number) -> None:
        with self._explained(ctx):
            ticket = service.get_ticket(ctx.session, ctx.room_id, number)
            outcome = service.reopen(
                ctx.session,
                ticket,
                ctx.sender,
                ctx.now,
                is_admin=ctx.is_admin,
                networks=self._networks_of(ctx.sender),
            )
        ticket = outcome.ticket
        text = ctx.t("tickets.reopened", number=ticket.number, title=md_escape(ticket.title))
        ctx.reply(text, tag=tag_of(ticket))

    @command("zuweisen", en="assign", help="tickets.cmd.assign", usage="tickets.usage.assign")
    async def assign(self, ctx: Context, number: Number, target: Rest) -> None:
        target = unquoted(target)  # a network's full name may have spaces, quoted or not
        with self._explained(ctx):
            ticket = service.get_ticket(ctx.session, ctx.room_id, number)
            assignment = self._assignment(ctx, target)
            outcome = service.assign(
                ctx.session,
                ticket,
                ctx.sender,
                ctx.now,
                assignment,
                is_admin=ctx.is_admin,
                networks=self._networks_of(ctx.sender),
            )
        ticket = outcome.ticket
        if not outcome.changed:
            ctx.reply(ctx.t("tickets.assign.unchanged", number=ticket.number), tag=tag_of(ticket))
            return
        if assignment.clear:
            text = ctx.t("tickets.unassigned", number=ticket.number)
        elif assignment.user is not None:
            # A person given a ticket should notice: the one place an assignment pings.
            text = ctx.t(
                "tickets.assigned.user", number=ticket.number, user=mention(assignment.user)
            )
        else:
            view = self._view(ctx.language, ctx.now)
            network = view.network(assignment.network_id or "")
            text = ctx.t("tickets.assigned.network", number=ticket.number, network=network)
        ctx.reply(text, tag=tag_of(ticket))

    def _assignment(self, ctx: Context, target: str) -> Assignment:
        if target == "-":
            return Assignment(clear=True)
        if target.startswith("@"):
            if not is_user_id(target):
                ctx.fail("tickets.error.bad_target", value=md_code(target[:80]))
            return Assignment(user=target)
        if self._directory() is None and not _NETWORK_ID.match(target):
            ctx.fail("tickets.error.bad_target", value=md_code(target[:80]))
        network_id = self._network_named(target)
        if network_id is None:
            listing = md_code(ctx.prefix + ctx.t("tickets.networks_command"))
            ctx.fail("tickets.error.unknown_network", network=md_code(target[:80]), command=listing)
        return Assignment(network_id=network_id)

    def _network_named(self, typed: str) -> str | None:
        """The id of the network `typed` names: the directory knows networks by id, short name
        ("H2-Thü") and full name; without a directory a well-formed id is taken as it is."""
        directory = self._directory()
        if directory is None:
            return typed if _NETWORK_ID.match(typed) else None
        try:
            return directory.network_id(typed)
        except Exception:  # a broken directory must not break tickets
            log.exception("directory lookup of %r failed", typed[:80])
            return None

    @command("kommentar", en="comment", help="tickets.cmd.comment", usage="tickets.usage.comment")
    async def comment(self, ctx: Context, number: Number, text: Rest = "") -> None:
        text = text.strip()
        if not text:
            example = self._cmd(ctx, "comment", number, "…")
            ctx.fail("tickets.error.comment_empty", example=example)
        if len(text) > COMMENT_MAX:
            ctx.fail("tickets.error.comment_too_long", length=len(text), limit=COMMENT_MAX)
        with self._explained(ctx):
            ticket = service.get_ticket(ctx.session, ctx.room_id, number)
            ticket = service.comment(ctx.session, ticket, ctx.sender, ctx.now, text)
        ctx.reply(ctx.t("tickets.commented", number=ticket.number), tag=tag_of(ticket))

    # -- looking -----------------------------------------------------------------------------------

    @command("ticket", en="ticket", help="tickets.cmd.show", usage="tickets.usage.number")
    async def show(self, ctx: Context, number: Number) -> None:
        with self._explained(ctx):
            ticket = service.get_ticket(ctx.session, ctx.room_id, number)
        events = service.history(ctx.session, ticket)
        view = self._view(ctx.language, ctx.now)
        ctx.reply(view.detail(ticket, events), tag=tag_of(ticket))

    @command("tickets", en="tickets", help="tickets.cmd.list", usage="tickets.usage.list")
    async def list_tickets(self, ctx: Context, which: Rest | None = None) -> None:
        which = unquoted(which) if which else None
        view = self._view(ctx.language, ctx.now)
        scope, network_id = self._scope(ctx, which)
        page = service.list_tickets(
            ctx.session,
            ctx.room_id,
            scope,
            user=ctx.sender,
            network_id=network_id,
            limit=LIST_LIMIT,
            stale_before=service.stale_cutoff(ctx.now, self.settings.ticket_stale_days),
            networks=self._networks_of(ctx.sender),
        )
        if scope == Scope.NETWORK:
            head = ctx.t(
                "tickets.list.network", network=view.network(network_id or ""), count=page.total
            )
        else:
            head = ctx.t(f"tickets.list.{scope.value}", count=page.total)
        if not page.tickets:
            ctx.reply(head + "  \n" + ctx.t("tickets.list.empty"))
            return
        lines = view.lines(page.tickets, page.total, self._rest_hint(ctx, scope))
        ctx.reply(head + "\n\n" + "\n".join(lines))

    def _rest_hint(self, ctx: Context, scope: Scope) -> str:
        """How to see what a list left out: by network where that narrows it (the network
        lists hold open tickets), else one by one."""
        if scope in (Scope.OPEN, Scope.ALL):
            network = ctx.t("tickets.suggest.any_network")
            return ctx.t("tickets.list.narrow", command=self._cmd(ctx, "list_tickets", network))
        number = ctx.t("tickets.list.any_number")
        return ctx.t("tickets.list.one_by_one", command=self._cmd(ctx, "show", number))

    def _scope(self, ctx: Context, which: str | None) -> tuple[Scope, str | None]:
        if which is None:
            return Scope.OPEN, None
        folded = fold(which)
        for scope in (Scope.OPEN, Scope.MINE, Scope.ALL, Scope.DONE):
            words = [
                self.services.catalogues.raw(lang, f"tickets.filter.{scope.value}") or ""
                for lang in ("de", "en")
            ]
            if folded in {fold(word) for word in (*words, *_FILTER_ALIASES[scope]) if word}:
                return scope, None
        network_id = self._network_named(which)
        if network_id is None:
            choices = ", ".join(
                ctx.t(f"tickets.filter.{scope.value}")
                for scope in (Scope.OPEN, Scope.MINE, Scope.ALL, Scope.DONE)
            )
            ctx.fail("tickets.error.bad_filter", value=md_code(which[:80]), choices=choices)
        return Scope.NETWORK, network_id

    @command("agenda", en="agenda", help="tickets.cmd.agenda")
    async def agenda(self, ctx: Context) -> None:
        tickets = service.open_tickets(ctx.session, ctx.room_id)
        events = await self._week_events(ctx.session, ctx.now, ctx.language)
        ctx.reply(self._view(ctx.language, ctx.now).agenda(tickets, events))

    async def _week_events(self, session: Session, now: datetime, lang: str) -> WeekEvents:
        events = self.services.plugin("events")
        if not isinstance(events, EventsApi):
            return WeekEvents(available=False)
        try:
            return WeekEvents(available=True, section=await events.week_section(session, now, lang))
        except Exception:  # the agenda's tickets are worth showing without events
            log.exception("events.week_section failed; agenda without events")
            return WeekEvents(available=False)

    # -- the weekly reminder ---------------------------------------------------------------------

    @job("reminder", cron=lambda settings: settings.digest_cron)
    async def weekly_reminder(self, jc: JobContext) -> None:
        """Remind each room of its stale tickets, unless the events digest already does."""
        events = self.services.plugin("events")
        covered: set[str] = (
            set(events.digest_rooms(jc.rooms)) if isinstance(events, EventsApi) else set()
        )
        stale: dict[str, list[Ticket]] = {}
        for ticket in service.stale_tickets(
            jc.session, None, jc.now, self.settings.ticket_stale_days
        ):
            stale.setdefault(ticket.room_id, []).append(ticket)
        open_count = Counter(ticket.room_id for ticket in service.open_tickets(jc.session, None))
        for room in jc.rooms:
            if room in covered or room not in stale:
                continue
            lang = jc.language_of(room)
            section = self._view(lang, jc.now).stale_section(stale[room], with_room=False)
            t = jc.t_for(room)
            head = t("tickets.reminder.head", count=open_count[room])
            listing = self.settings.command_prefix + self._name_in(lang, "list_tickets")
            hint = t("tickets.reminder.hint", command=md_code(listing))
            jc.send(room, f"{head}\n\n{section}\n\n{hint}")

    # -- reactions ---------------------------------------------------------------------------------

    @on_reaction
    async def reacted(self, ctx: Context, key: str, tag: str) -> None:
        action = reaction_action(key)
        if action is None or not tag.startswith(TAG_PREFIX):
            return
        try:
            ticket_id = int(tag.removeprefix(TAG_PREFIX))
        except ValueError:
            return
        ticket = service.ticket_by_id(ctx.session, ticket_id)
        if ticket is None or ticket.room_id != ctx.room_id:
            return

        # A reaction is not a message, so answers go to the room rather than "in reply to" it.
        def respond(text: str, about: Ticket | None) -> None:
            ctx.send(ctx.room_id, text, tag=tag_of(about) if about else None)

        try:
            if action == ReactionAction.CLAIM:
                self._claim(ctx, ticket, respond)
            else:
                self._close(ctx, ticket, None, respond)
        except TicketError as error:
            ctx.session.rollback()
            key, params = self._explain(ctx, error)
            respond(ctx.t(key, **params), ticket)

    # -- demo data for `lotse shell --demo` ------------------------------------------------------

    async def demo(self, room_id: str) -> None:
        now = self.services.clock()
        requests = [
            (
                "@mara.keller:example.org",
                20,
                "Firma Optikwerk Jena sucht Partner für Leichtbau-Prototypen aus Faserverbund\n"
                "Kontakt: Jens Bauer\nE-Mail: bauer@example.com",
                "kunststoffe",
            ),
            (
                "@tom.richter:example.org",
                9,
                "Maschinenbauer aus Gera braucht Beratung zu "
                "Wasserstoff-Brennern\nFirma: Richter Anlagenbau GmbH",
                "wasserstoff",
            ),
            (
                "@anna.schmidt:example.org",
                2,
                "Start-up sucht Kontakt zu Sensorik-Herstellern für ein Medizintechnik-Projekt",
                None,
            ),
        ]
        with self.store.transaction() as session:
            for filer, days_ago, text, network in requests:
                filed = now - timedelta(days=days_ago)
                ticket = service.create_ticket(session, room_id, filer, filed, parse_request(text))
                # Assigned where the demo directory knows the network, so !agenda has groups.
                network_id = self._network_named(network) if network else None
                if network_id is not None:
                    service.assign(
                        session,
                        ticket,
                        filer,
                        filed + timedelta(hours=1),
                        Assignment(network_id=network_id),
                        is_admin=True,
                    )

    # -- what other plugins ask (plugins.contracts.TicketsApi) ----------------------------------

    def stale_section(
        self, session: Session, room_id: str | None, now: datetime, lang: str
    ) -> str | None:
        tickets = service.stale_tickets(session, room_id, now, self.settings.ticket_stale_days)
        return self._view(lang, now).stale_section(tickets, with_room=room_id is None)

    def open_tickets_summary(
        self, session: Session, room_id: str | None, now: datetime
    ) -> list[dict[str, Any]]:
        stale_days = self.settings.ticket_stale_days
        return [
            {
                "room_id": ticket.room_id,
                "number": ticket.number,
                "title": ticket.title,
                "network_id": ticket.network_id,
                "network_name": self._network_name(ticket.network_id)
                if ticket.network_id
                else None,
                "status": ticket.status,
                "claimed_by": ticket.claimed_by,
                "assignee": ticket.assignee_user,
                "created_at": ticket.created_at.isoformat(),
                "age_days": age_days(ticket.created_at, now, self.settings.tz),
                "stale": service.is_stale(ticket, now, stale_days),
            }
            for ticket in service.open_tickets(session, room_id)
        ]

    # -- CLI -------------------------------------------------------------------------------------

    @classmethod
    def add_cli_parsers(
        cls,
        subparsers: argparse._SubParsersAction,
        common: argparse.ArgumentParser,
    ) -> None:
        from plugins.tickets.export import add_cli_parsers

        add_cli_parsers(subparsers, common)

    # -- helpers -----------------------------------------------------------------------------------

    def _directory(self) -> DirectoryApi | None:
        directory = self.services.plugin("directory")
        return directory if isinstance(directory, DirectoryApi) else None

    def _networks_of(self, user: str) -> frozenset[str]:
        """The networks `user` is a contact of: their tickets are the user's to handle
        (without a directory nobody's)."""
        directory = self._directory()
        if directory is None:
            return frozenset()
        try:
            return directory.networks_of_user(user)
        except Exception:  # a broken directory leaves the other permissions standing
            log.exception("directory.networks_of_user failed")
            return frozenset()

    def _network_name(self, network_id: str) -> str | None:
        directory = self._directory()
        if directory is None:
            return None
        try:
            return directory.network_name(network_id)
        except Exception:  # a name is decoration; the id still identifies it
            log.exception("directory.network_name failed")
            return None

    def _view(self, lang: str, now: datetime) -> View:
        return View(
            t=self.services.catalogues.translator(lang),
            tz=self.settings.tz,
            now=now,
            stale_days=self.settings.ticket_stale_days,
            network_name=self._network_name,
        )

    def _name(self, ctx: Context, method: str) -> str:
        """A command's name in the room's language, from its declaration."""
        return self._name_in(ctx.language, method)

    def _name_in(self, lang: str, method: str) -> str:
        spec = getattr(type(self), method).__lotse_command__
        return str(spec.name_for(lang))

    def _cmd(self, ctx: Context, method: str, *args: object) -> str:
        words = [f"{ctx.prefix}{self._name(ctx, method)}", *map(str, args)]
        return md_code(" ".join(words))

    @staticmethod
    def _replier(ctx: Context) -> Respond:
        def respond(text: str, about: Ticket | None) -> None:
            ctx.reply(text, tag=tag_of(about) if about else None)

        return respond

    @contextmanager
    def _explained(self, ctx: Context) -> Iterator[None]:
        """Turn a TicketError into the user's message (and a rollback, by the core)."""
        try:
            yield
        except TicketError as error:
            key, params = self._explain(ctx, error)
            ctx.fail(key, **params)

    def _explain(self, ctx: Context, error: TicketError) -> tuple[str, dict[str, object]]:
        number = error.number
        if isinstance(error, service.NotFound):
            return "tickets.error.not_found", {
                "number": number,
                "command": self._cmd(ctx, "list_tickets"),
            }
        if isinstance(error, service.ClaimedByOther):
            return "tickets.error.claimed_by_other", {
                "number": number,
                "user": md_escape(error.holder),
            }
        if isinstance(error, service.AlreadyDone):
            return "tickets.error.done", {
                "number": number,
                "command": self._cmd(ctx, "reopen", number),
            }
        if isinstance(error, service.NotDone):
            return "tickets.error.not_done", {"number": number}
        if isinstance(error, service.NotClaimed):
            return "tickets.error.not_claimed", {"number": number}
        if isinstance(error, service.NotAllowed):
            return f"tickets.error.not_allowed.{error.action}", {"number": number}
        return "tickets.error.busy", {"number": number}


def _leader(strong: list[NetworkSuggestion]) -> NetworkSuggestion | None:
    """The one good suggestion ahead of all others; None if there is none or a tie."""
    if not strong or (len(strong) > 1 and strong[0].score - strong[1].score <= TIE):
        return None
    return strong[0]


def _hint_line(suggestion: NetworkSuggestion) -> str:
    """A weak suggestion: the network only. Its people are no referral for a guess."""
    return f"- {_network_label(suggestion)} {md_code(suggestion.network_id)}"


def _network_label(suggestion: NetworkSuggestion) -> str:
    name = md_escape(suggestion.name)
    if suggestion.short and suggestion.short != suggestion.name:
        name += f" ({md_escape(suggestion.short)})"
    return name


def _contact(contact: ContactRef, notify: bool) -> str:
    """A suggested network's contact: a pill when they are on Matrix (pinged when the request
    is theirs to take, LOTSE_TICKET_NOTIFY_CONTACTS), else name and address."""
    if contact.matrix and is_user_id(contact.matrix):
        return mention(contact.matrix, contact.name, notify=notify)
    reach = contact.email or contact.phone
    return md_escape(f"{contact.name} ({reach})" if reach else contact.name)
