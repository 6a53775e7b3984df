"""Tickets as Markdown: list lines, the detail view, the stale section and the agenda.

Every user-supplied string passes md_escape here. Matrix ids in lists are escaped text, not
pills: a list must not ping everyone it names each time someone asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.i18n import Translator
from bot.messages import md_code, md_escape
from plugins.tickets.models import Action, Status, Ticket, TicketEvent
from plugins.tickets.service import is_stale

LIST_LIMIT = 30  # lines in one message: enough for a meeting, short enough to read
TRAIL_LIMIT = 25  # newest audit entries shown by `!ticket N`
TRAIL_DETAIL_MAX = 300


@dataclass(frozen=True)
class WeekEvents:
    """What the events plugin said about this week, for the agenda."""

    available: bool  # False: no events plugin (or it failed), as opposed to "no events"
    section: str | None = None  # Markdown from EventsApi.week_section


@dataclass(frozen=True)
class View:
    t: Translator
    tz: ZoneInfo
    now: datetime
    stale_days: int
    network_name: Callable[[str], str | None] = lambda _network_id: None

    # -- small pieces ----------------------------------------------------------------------------

    def when(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime(self.t("tickets.format.datetime"))

    def date(self, moment: datetime) -> str:
        return moment.astimezone(self.tz).strftime(self.t("tickets.format.date"))

    def age(self, moment: datetime) -> str:
        days = age_days(moment, self.now, self.tz)
        if days <= 0:
            return self.t("tickets.age.today")
        if days == 1:
            return self.t("tickets.age.yesterday")
        return self.t("tickets.age.days", days=days)

    def status(self, ticket: Ticket) -> str:
        if ticket.status == Status.CLAIMED:
            return self.t("tickets.status.claimed", user=md_escape(ticket.claimed_by or "?"))
        if ticket.status == Status.DONE:
            return self.t("tickets.status.done")
        return self.t("tickets.status.open")

    def network(self, network_id: str) -> str:
        name = self.network_name(network_id)
        if name and name != network_id:
            return f"{md_escape(name)} ({md_code(network_id)})"
        return md_code(network_id)

    def line(self, ticket: Ticket, *, network: bool = True) -> str:
        """One compact list line: number, title, status, network, assignee, age, staleness."""
        parts = [f"**#{ticket.number}** {md_escape(ticket.title)} – {self.status(ticket)}"]
        if network and ticket.network_id:
            parts.append(self.network(ticket.network_id))
        if ticket.assignee_user:
            parts.append("→ " + md_escape(ticket.assignee_user))
        parts.append(self.age(ticket.created_at))
        text = " · ".join(parts)
        if is_stale(ticket, self.now, self.stale_days):
            text += " " + self.t("tickets.stale.mark")
        return f"- {text}"

    def lines(self, tickets: Iterable[Ticket], total: int, rest_hint: str) -> list[str]:
        """A line per ticket (the service chose and bounded them), then how many more there
        are and how to see them (`rest_hint`, Markdown)."""
        shown = list(tickets)
        result = [self.line(ticket) for ticket in shown]
        if total > len(shown):
            more = self.t("tickets.list.more", count=total - len(shown))
            result.append(f"- {more} – {rest_hint}")
        return result

    def contact(self, ticket: Ticket) -> str | None:
        parts = [ticket.contact_name, ticket.contact_email, ticket.contact_phone]
        present = [md_escape(part) for part in parts if part]
        return ", ".join(present) if present else None

    def fields(self, ticket: Ticket) -> list[tuple[str, str]]:
        """The company and contact details that were given, as (label, Markdown value)."""
        result = []
        if ticket.company:
            result.append((self.t("tickets.field.company"), md_escape(ticket.company)))
        contact = self.contact(ticket)
        if contact:
            result.append((self.t("tickets.field.contact"), contact))
        return result

    # -- whole messages --------------------------------------------------------------------------

    def detail(self, ticket: Ticket, events: list[TicketEvent]) -> str:
        head = self.t("tickets.detail.head", number=ticket.number, title=md_escape(ticket.title))
        status = self.status(ticket)
        if is_stale(ticket, self.now, self.stale_days):
            status += " " + self.t("tickets.stale.mark")
        rows = [(self.t("tickets.field.status"), status)]
        filed = self.t(
            "tickets.filed_by", when=self.when(ticket.created_at), user=md_escape(ticket.filed_by)
        )
        rows.append((self.t("tickets.field.filed"), f"{filed} ({self.age(ticket.created_at)})"))
        rows += self.fields(ticket)
        if ticket.network_id:
            rows.append((self.t("tickets.field.network"), self.network(ticket.network_id)))
        if ticket.assignee_user:
            rows.append((self.t("tickets.field.assignee"), md_escape(ticket.assignee_user)))
        if ticket.closed_at is not None:
            rows.append((self.t("tickets.field.closed"), self.when(ticket.closed_at)))
        if ticket.close_note:
            rows.append((self.t("tickets.field.note"), _one_line(ticket.close_note)))
        blocks = [head + "  \n" + "  \n".join(f"{label}: {value}" for label, value in rows)]
        if ticket.text.strip() != ticket.title:  # a one-line request is its title already
            blocks.append(quote(ticket.text))
        blocks.append(self.trail(events))
        return "\n\n".join(blocks)

    def trail(self, events: list[TicketEvent]) -> str:
        shown = events[-TRAIL_LIMIT:]
        lines = [self.t("tickets.detail.trail")]
        if len(events) > len(shown):
            lines.append(f"- {self.t('tickets.detail.earlier', count=len(events) - len(shown))}")
        for event in shown:
            action = self.t(f"tickets.action.{event.action}")
            text = f"- {self.when(event.at)} – {md_escape(event.actor)}: {action}"
            if event.detail:
                text += f" – {self._trail_detail(event)}"
            lines.append(text)
        return "\n".join(lines)

    def _trail_detail(self, event: TicketEvent) -> str:
        """An entry's detail as Markdown: an assigned network by its name (the entry keeps
        the id, which stays right when the network is renamed), else the text, shortened."""
        detail = event.detail or ""
        if event.action == Action.ASSIGNED and not detail.startswith("@"):
            return self.network(detail)  # a person's Matrix id starts with "@"
        if len(detail) > TRAIL_DETAIL_MAX:
            detail = detail[: TRAIL_DETAIL_MAX - 1] + "…"
        return _one_line(detail)

    def stale_section(self, tickets: list[Ticket], *, with_room: bool) -> str | None:
        if not tickets:
            return None
        lines = [self.t("tickets.stale.head", days=self.stale_days), ""]
        for ticket in tickets[:LIST_LIMIT]:
            state = (
                self.t("tickets.unclaimed") if ticket.status == Status.OPEN else self.status(ticket)
            )
            parts = [f"**#{ticket.number}** {md_escape(ticket.title)} – {state}"]
            if ticket.network_id:
                parts.append(self.network(ticket.network_id))
            parts.append(self.age(ticket.created_at))
            if with_room:
                parts.append(self.t("tickets.stale.room", room=md_escape(ticket.room_id)))
            lines.append("- " + " · ".join(parts))
        if len(tickets) > LIST_LIMIT:
            lines.append(f"- {self.t('tickets.list.more', count=len(tickets) - LIST_LIMIT)}")
        return "\n".join(lines)

    def agenda(self, tickets: list[Ticket], events: WeekEvents) -> str:
        local = self.now.astimezone(self.tz)
        monday = local.date() - timedelta(days=local.weekday())
        sunday = monday + timedelta(days=6)
        fmt = self.t("tickets.format.date")
        blocks = [
            self.t(
                "tickets.agenda.head",
                week=local.isocalendar().week,
                start=monday.strftime(fmt),
                end=sunday.strftime(fmt),
            )
        ]
        stale = sum(1 for ticket in tickets if is_stale(ticket, self.now, self.stale_days))
        blocks.append(self.t("tickets.agenda.tickets", count=len(tickets), stale=stale))
        if not tickets:
            blocks.append(self.t("tickets.agenda.no_tickets"))
        shown = self._agenda_selection(tickets)
        for label, group in self._by_network(shown):
            blocks.append(f"*{label}*\n\n" + "\n".join(self.line(t, network=False) for t in group))
        if len(tickets) > len(shown):
            blocks.append(self.t("tickets.list.more", count=len(tickets) - len(shown)))
        blocks.append(self.t("tickets.agenda.events"))
        if not events.available:
            blocks.append(self.t("tickets.agenda.events_unavailable"))
        elif not events.section:
            blocks.append(self.t("tickets.agenda.no_events"))
        else:
            blocks.append(events.section)
        return "\n\n".join(blocks)

    def _agenda_selection(self, tickets: list[Ticket]) -> list[Ticket]:
        """At most LIST_LIMIT tickets for the meeting: the overdue ones first, whatever
        their network, then the oldest of the others (a cut by network order would hide
        the overdue tickets of networks late in the alphabet)."""
        oldest_first = sorted(tickets, key=lambda t: (t.created_at, t.number))
        overdue = [t for t in oldest_first if is_stale(t, self.now, self.stale_days)]
        others = [t for t in oldest_first if not is_stale(t, self.now, self.stale_days)]
        return (overdue + others)[:LIST_LIMIT]

    def _by_network(self, tickets: list[Ticket]) -> list[tuple[str, list[Ticket]]]:
        """Groups by network (named ones alphabetically, then the unassigned), oldest first."""
        groups: dict[str | None, list[Ticket]] = {}
        for ticket in sorted(tickets, key=lambda t: (t.created_at, t.number)):
            groups.setdefault(ticket.network_id, []).append(ticket)
        named = sorted(
            (key for key in groups if key is not None),
            key=lambda key: (self.network_name(key) or key).casefold(),
        )
        result = [(self.network(key), groups[key]) for key in named]
        if None in groups:
            result.append((self.t("tickets.agenda.no_network"), groups[None]))
        return result


def age_days(moment: datetime, now: datetime, tz: ZoneInfo) -> int:
    """Calendar days between `moment` and `now` where the managers live (yesterday = 1)."""
    return (now.astimezone(tz).date() - moment.astimezone(tz).date()).days


def quote(text: str) -> str:
    """A user's multi-line text as a Markdown block quote, every character literal.

    Leading blanks go: four of them would make the line an indented code block, showing the
    escaping backslashes (pasted e-mails are often indented)."""
    return "\n".join(
        f"> {md_escape(line.strip())}" if line.strip() else ">" for line in text.splitlines()
    )


def _one_line(text: str) -> str:
    return md_escape(" ".join(text.split()))
