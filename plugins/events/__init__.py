"""Events: every network's calendar (ICS feeds + events entered in the room), one weekly digest."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlmodel import Session

from bot.cli_args import unreadable_file, whole_number, write_output
from bot.commands import Number, Rest, command
from bot.config import Settings
from bot.context import Context, JobContext
from bot.i18n import Translator
from bot.messages import md_code, md_escape, render
from bot.plugin import Plugin, job
from plugins.contracts import TicketsApi
from plugins.events import service, views
from plugins.events.dates import parse_event_spec
from plugins.events.errors import DateParseError, FeedError, Problem
from plugins.events.export import to_ics
from plugins.events.fetch import FeedRequest, FetchResult, normalise_url
from plugins.events.i18n import CATALOGUE
from plugins.events.ical import CalendarCache
from plugins.events.models import Source
from plugins.events.settings import EventsSettings
from plugins.events.views import problem_text, problems_text

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_DAYS = 366
DIGEST_DAYS = 7
_PERIOD = re.compile(
    r"^(?:(?P<n>\d{1,3})\s*(?P<unit>tage?n?|days?|wochen?|weeks?|monate?|months?)?|"
    r"(?P<word>woche|week|monat|month|heute|today))$",
    re.IGNORECASE,
)


def period_days(text: str | None) -> int | None:
    """`14`, `14 Tage`, `2 Wochen`, `woche`, `monat` -> days; None if not understood.
    A longer period than MAX_DAYS ("12 Monate") is cut to it: the list says its dates."""
    if not text or not text.strip():
        return DIGEST_DAYS
    match = _PERIOD.match(text.strip().casefold())
    if match is None:
        return None
    word = match.group("word")
    if word:
        return {"woche": 7, "week": 7, "monat": 31, "month": 31, "heute": 1, "today": 1}[word]
    number, unit = int(match.group("n")), (match.group("unit") or "t")
    days = number * (7 if unit.startswith(("w",)) else 31 if unit.startswith("mo") else 1)
    return min(days, MAX_DAYS) if days >= 1 else None


def spec_error_params(t: Translator, error: DateParseError) -> dict[str, str]:
    """What a typed event line got wrong, ready for its message: what was typed is quoted
    as code; a date the parser worked out, and weekdays, are written as the bot writes them."""
    if error.key == "events.weekday_mismatch":
        names = t("events.weekdays").split(",")
        return {
            "date": _day_text(t, date.fromisoformat(str(error.params["date"]))),
            "weekday": names[int(error.params["weekday"])],
            "typed": names[int(error.params["typed"])],
        }
    if error.key == "events.bad_end":
        moments = {key: datetime.fromisoformat(str(error.params[key])) for key in ("start", "end")}
        return {key: _moment_text(t, moment) for key, moment in moments.items()}
    if error.key == "events.bad_date_range":
        days = {key: date.fromisoformat(str(error.params[key])) for key in ("start", "end")}
        return {key: _day_text(t, day) for key, day in days.items()}
    return {key: md_code(str(value)) for key, value in error.params.items()}


def _is_over(occurrence: service.Occurrence, now: datetime, today: date) -> bool:
    """Whether an event just entered is already over: an earlier day, or today at an
    hour gone by ("heute 9 Uhr" typed at 12:30)."""
    if isinstance(occurrence.end, datetime):
        return occurrence.end < now  # a timed event without an end ends at its start
    return occurrence.end <= today


def _day_text(t: Translator, day: date) -> str:
    return t("events.date", day=day.day, month=day.month, year=day.year)


def _moment_text(t: Translator, moment: datetime) -> str:
    return f"{_day_text(t, moment.date())} {moment:%H:%M}"


def refresh_cron(settings: Settings) -> str:
    minutes = settings.feed_refresh_minutes
    if minutes < 60:
        return f"*/{minutes} * * * *"
    return f"0 */{max(1, minutes // 60)} * * *"


class EventsPlugin(Plugin):
    name = "events"
    title = "events.title"
    catalogue = CATALOGUE
    migrations = Path(__file__).parent / "migrations"
    settings_model = EventsSettings

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cache = CalendarCache(max_entries=256)
        # Parsing a big feed takes ~0.5 s: it runs in a worker thread, one at a time, because
        # the cache and the parsed calendars are not thread-safe.
        self._cache_lock = threading.Lock()
        self._warming: asyncio.Task[None] | None = None

    @property
    def limits(self) -> EventsSettings:
        assert isinstance(self.config, EventsSettings)
        return self.config

    async def off_loop(self, func: Callable[..., T], *args: Any) -> T:
        def locked() -> T:
            with self._cache_lock:
                return func(*args)

        return await asyncio.to_thread(locked)

    async def start(self) -> None:
        self._warming = asyncio.create_task(self.off_loop(self._warm_cache))

    async def stop(self) -> None:
        if self._warming is not None:
            await asyncio.gather(self._warming, return_exceptions=True)

    def _warm_cache(self) -> None:
        with self.store.session() as session:
            for source in service.sources(session):
                if source.content_hash is not None and source.body:
                    # A broken body was reported when it was fetched; expansion skips it.
                    with contextlib.suppress(FeedError):
                        self.cache.parse(source.body, source.content_hash)

    # -- reading the calendar --------------------------------------------------------------------

    async def window_view(self, session: Session, first: date, days: int) -> service.CalendarView:
        window = service.Window.days_from(first, days, self.settings.tz)
        view = await self.off_loop(
            service.calendar_view, session, self.cache, window, self.settings.tz
        )
        # here, on the event loop: the directory is not asked from the worker thread
        view.occurrences = self._label_manual(view.occurrences)
        return view

    def _label_manual(self, found: list[service.Occurrence]) -> list[service.Occurrence]:
        """Events entered in the room get the network of who entered them, if the directory
        knows them as a contact; else they stay "entered by <user>"."""
        network_of = self._network_lookup()
        labelled: dict[str, str | None] = {}
        result = []
        for occurrence in found:
            user = occurrence.entered_by
            if user and not occurrence.sources:
                if user not in labelled:
                    labelled[user] = network_of(user)
                network = labelled[user]
                if network:
                    occurrence = replace(occurrence, sources=(network,))
            result.append(occurrence)
        return result

    def _network_lookup(self) -> Callable[[str], str | None]:
        # DirectoryApi.network_of_user(matrix_id) -> network id, looked up by name so that a
        # directory offering only that works too; without it, or when it fails, events keep
        # their author's name.
        directory = self.services.plugin("directory")
        lookup = getattr(directory, "network_of_user", None)
        name_of = getattr(directory, "network_name", None)
        if not callable(lookup):
            return lambda _user: None

        def network(user: str) -> str | None:
            try:
                network_id = lookup(user)
                if not isinstance(network_id, str) or not network_id:
                    return None
                name = name_of(network_id) if callable(name_of) else None
                return name if isinstance(name, str) and name else network_id
            except Exception:  # a failing directory must not break the calendar
                log.exception("directory lookup of %s's network failed", user)
                return None

        return network

    async def window_occurrences(
        self, session: Session, first: date, days: int
    ) -> list[service.Occurrence]:
        return (await self.window_view(session, first, days)).occurrences

    async def apply_results(
        self, session: Session, results: list[FetchResult], now: datetime, *, tell_room: bool
    ) -> service.RefreshReport:
        apply = functools.partial(service.apply_results, tell_room=tell_room)
        return await self.off_loop(apply, session, results, self.cache, now, self.settings.tz)

    def today(self, now: datetime) -> date:
        return now.astimezone(self.settings.tz).date()

    # -- EventsApi ---------------------------------------------------------------------------------

    async def week_section(self, session: Session, now: datetime, lang: str) -> str | None:
        t = self.services.catalogues.translator(lang)
        monday = self.today(now) - timedelta(days=self.today(now).weekday())
        found = await self.window_occurrences(session, monday, 7)
        if not found:
            return None
        return views.by_day(t, found, self.settings.tz, monday.year, monday).strip()

    # -- chat: listing and manual events -------------------------------------------------------

    @command("termine", en="events", help="events.cmd.list", usage="events.usage.list")
    async def list_events(self, ctx: Context, period: Rest | None = None) -> None:
        days = period_days(period)
        if days is None:
            ctx.fail("events.list.bad_period", value=md_code((period or "")[:40]), max=MAX_DAYS)
        first = self.today(ctx.now)
        view = await self.window_view(ctx.session, first, days)
        last = first + timedelta(days=days - 1)
        tz = self.settings.tz
        ctx.reply(views.event_list(ctx.t, view.occurrences, first, last, tz, view.problems))

    @command(
        "termin add",
        en="event add",
        aliases=("termin neu", "termin hinzufügen"),
        help="events.cmd.add",
        usage="events.usage.add",
    )
    async def add_event(self, ctx: Context, spec: Rest) -> None:
        try:
            parsed = parse_event_spec(spec, ctx.now, self.settings.tz, ctx.language)
        except DateParseError as exc:
            ctx.fail(exc.key, **spec_error_params(ctx.t, exc))
        event = service.add_manual(ctx.session, ctx.room_id, parsed, ctx.sender, ctx.now)
        occurrence = service.manual_occurrence(event, self.settings.tz)
        tz, today = self.settings.tz, self.today(ctx.now)
        first_day = views.local_day(occurrence, tz)
        day = views.day_label(ctx.t, first_day, today.year)
        when = f"{day} {views.when_text(ctx.t, occurrence, tz)}"
        title = " · ".join([md_escape(event.title), *views.place_and_link(occurrence)])
        text = ctx.t("events.added", number=event.id, when=when, title=title)
        if _is_over(occurrence, ctx.now, today):  # kept (a record may be wanted), but
            text += "  \n" + ctx.t("events.added_past", prefix=ctx.prefix)  # likely a typo
        ctx.reply(text)

    @command(
        "termin remove",
        en="event remove",
        aliases=("termin löschen", "termin entfernen"),
        help="events.cmd.remove",
        usage="events.usage.remove",
    )
    async def remove_event(self, ctx: Context, number: Number) -> None:
        event = ctx.session.get(service.ManualEvent, number)
        if event is None:
            ctx.fail("events.remove.unknown", number=number)
        if event.created_by != ctx.sender and not ctx.is_admin:
            ctx.fail("events.remove.not_yours", number=number)
        service.remove_manual(ctx.session, number)
        ctx.reply(ctx.t("events.removed", number=number, title=md_escape(event.title)))

    # -- chat: sources ----------------------------------------------------------------------------

    @command(
        "quelle add",
        en="source add",
        aliases=("quelle hinzufügen",),
        help="events.cmd.source_add",
        usage="events.usage.source_add",
        admin=True,
    )
    async def source_add(self, ctx: Context, name: str, url: str) -> None:
        bad_name = service.check_source_name(name)
        if bad_name is not None:
            ctx.fail(bad_name.key, **bad_name.params)
        refusal = url_refusal(ctx.t, url)
        if refusal is not None:
            ctx.reply(refusal)
            return
        if service.source_named(ctx.session, name) is not None:
            ctx.fail("events.source.exists", name=md_code(name))
        if len(service.sources(ctx.session)) >= service.MAX_SOURCES:
            ctx.fail("events.source.too_many", max=service.MAX_SOURCES)
        # Fetch before writing anything: no database transaction (on SQLite: the write lock)
        # stays open while a slow feed takes its time.
        ctx.session.rollback()
        results = await service.fetch([FeedRequest(name, url)], self.limits)
        try:
            source = service.add_source(ctx.session, name, url, ctx.sender, ctx.now)
        except service.SourceExists:  # added by someone else meanwhile
            ctx.fail("events.source.exists", name=md_code(name))
        report = await self.apply_results(ctx.session, results, ctx.now, tell_room=True)
        if report.newly_failed:
            problem = problem_text(ctx.t, report.newly_failed[0][1])
            ctx.reply(ctx.t("events.source.added_failed", name=md_code(name), problem=problem))
            return
        text = ctx.t("events.source.added", name=md_code(name), count=source.event_count)
        warnings = service.warnings_of(source)
        if warnings:  # told here, not again by the next refresh
            source.warnings_reported = True
            found = problems_text(ctx.t, warnings)
            text += "  \n" + ctx.t("events.source.added_warnings", problems=found)
        ctx.reply(text)

    @command("quelle list", en="source list", aliases=("quellen",), help="events.cmd.source_list")
    async def source_list(self, ctx: Context) -> None:
        rows = service.sources(ctx.session)
        if not rows:
            ctx.reply(ctx.t("events.source.none", prefix=ctx.prefix))
            return
        lines = [ctx.t("events.source.header", count=len(rows)), ""]
        lines += [f"- {self._source_line(ctx, row)}" for row in rows]
        ctx.reply("\n".join(lines))

    def _source_line(self, ctx: Context, row: Source) -> str:
        name = md_code(row.name)
        when = (
            _moment_text(ctx.t, row.succeeded_at.astimezone(self.settings.tz))
            if row.succeeded_at
            else ctx.t("events.source.never")
        )
        problem = service.error_of(row)
        warnings = service.warnings_of(row)
        suffix = (
            " – " + ctx.t("events.source.warnings", problems=problems_text(ctx.t, warnings))
            if warnings
            else ""
        )
        if problem is not None:
            text = problem_text(ctx.t, problem)
            line = ctx.t("events.source.line_failing", name=name, problem=text, when=when)
        elif row.url is None:
            line = ctx.t("events.source.file", name=name, count=row.event_count)
        elif row.succeeded_at is None:
            line = ctx.t("events.source.line_never", name=name)
        else:
            line = ctx.t("events.source.line_ok", name=name, count=row.event_count, when=when)
        return line + suffix

    @command(
        "quelle remove",
        en="source remove",
        aliases=("quelle entfernen", "quelle löschen"),
        help="events.cmd.source_remove",
        usage="events.usage.source_remove",
        admin=True,
    )
    async def source_remove(self, ctx: Context, name: str) -> None:
        removed = service.remove_source(ctx.session, name)
        key = "events.source.removed" if removed else "events.source.unknown"
        ctx.reply(ctx.t(key, name=md_code(removed.name if removed else name[:64])))

    # -- jobs ------------------------------------------------------------------------------------

    @job("refresh", cron=refresh_cron)
    async def refresh(self, jc: JobContext) -> None:
        rows = service.sources(jc.session)
        results = await service.fetch(service.requests_for(rows), self.limits)
        report = await self.apply_results(jc.session, results, jc.now, tell_room=True)
        warned = service.unreported_warnings(jc.session)  # new feeds' and imported files'
        for room in self.digest_rooms(jc.rooms):
            t = jc.t_for(room)
            for name, problem in report.newly_failed:
                text = problem_text(t, problem)
                jc.send(room, t("events.feed.failed_report", name=md_code(name), problem=text))
            for name in report.recovered:
                jc.send(room, t("events.feed.recovered_report", name=md_code(name)))
            for name, problems in warned:
                text = problems_text(t, problems)
                jc.send(room, t("events.feed.warning_report", name=md_code(name), problems=text))

    @job("digest", cron=lambda settings: settings.digest_cron)
    async def weekly_digest(self, jc: JobContext) -> None:
        # The week of the slot, not of the clock: a run caught up on Thursday for Monday's
        # slot covers Monday to Sunday, not Thursday to Wednesday.
        first = self.today(jc.slot or jc.now)
        week = service.iso_week(first)
        # Once a week per room, also when LOTSE_DIGEST_CRON changes in the middle of one.
        rooms = [
            room
            for room in self.digest_rooms(jc.rooms)
            if not service.digest_posted(jc.session, room, week)
        ]
        if not rooms:
            return
        view = await self.window_view(jc.session, first, DIGEST_DAYS)
        last = first + timedelta(days=DIGEST_DAYS - 1)
        tz = self.settings.tz
        for room in rooms:
            lang = jc.language_of(room)
            stale = self.stale_section(jc.session, room, jc.now, lang)
            text = views.digest(
                jc.t_for(room), view.occurrences, first, last, tz, stale, view.problems
            )
            jc.send(room, text)
            service.record_digest(jc.session, room, week, jc.now)

    def digest_rooms(self, joined: list[str]) -> list[str]:
        """LOTSE_DIGEST_ROOMS, or every room the bot is in."""
        return list(self.settings.digest_rooms) or list(joined)

    def stale_section(
        self, session: Session, room: str | None, now: datetime, lang: str
    ) -> str | None:
        tickets = self.services.plugin("tickets")
        if not isinstance(tickets, TicketsApi):
            return None
        section = tickets.stale_section(session, room, now, lang)
        if not section:
            return None
        return self.services.catalogues.translate(lang, "events.digest.stale") + "\n\n" + section

    async def demo(self, room_id: str) -> None:
        now = self.services.clock()
        with self.store.transaction() as session:
            source = service.add_source(session, "Demo-Netzwerke", None, "@lotse:localhost", now)
            body = demo_calendar(self.today(now))
            service.store_body(source, body, self.cache, now, self.settings.tz)
            session.add(source)

    # -- command line ----------------------------------------------------------------------------

    @classmethod
    def add_cli_parsers(
        cls,
        subparsers: argparse._SubParsersAction,
        common: argparse.ArgumentParser,
    ) -> None:
        events = subparsers.add_parser("events", parents=[common], help="calendar sources")
        actions = events.add_subparsers(dest="events_command", metavar="ACTION", required=True)
        imp = actions.add_parser("import", parents=[common], help="add or update a source")
        imp.add_argument("location", help="an .ics file, or an http(s)/webcal URL")
        imp.add_argument("--source", required=True, help="the source's name, e.g. ThEEN")
        imp.set_defaults(handler=cli_import)
        fetch = actions.add_parser("fetch", parents=[common], help="fetch every feed now")
        fetch.set_defaults(handler=cli_fetch)
        export = actions.add_parser("export", parents=[common], help="all events as one ICS")
        export.add_argument("--output", "-o", type=Path, help="write to this file")
        export.add_argument(
            "--days",
            type=day_count(1),
            default=365,
            help=f"days ahead, 1 to {MAX_DAYS} (default 365)",
        )
        export.add_argument(
            "--past-days",
            type=day_count(0),
            default=30,
            help=f"days back, 0 to {MAX_DAYS} (default 30)",
        )
        export.set_defaults(handler=cli_export)
        digest = subparsers.add_parser("digest", parents=[common], help="preview the digest")
        digest.add_argument("--start", type=digest_start, help="first day, YYYY-MM-DD")
        digest.add_argument(
            "--days",
            type=day_count(1),
            default=DIGEST_DAYS,
            help=f"1 to {MAX_DAYS} (default {DIGEST_DAYS})",
        )
        digest.add_argument("--json", action="store_true", help="machine-readable output")
        digest.set_defaults(handler=cli_digest)


def day_count(low: int, high: int = MAX_DAYS) -> Callable[[str], int]:
    return whole_number(low, high, "number of days")


def digest_start(text: str) -> date:
    """--start: an ISO date in a range where a year's window still has valid dates."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text[:40]!r}") from None
    if not 1900 <= day.year <= 9000:
        raise argparse.ArgumentTypeError("the year must be between 1900 and 9000")
    return day


def demo_calendar(today: date) -> bytes:
    """A small fictional calendar from `today` on, so the demo always has upcoming events."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Lotse//Demo//DE"]
    entries = [
        (0, "100000", "120000", "Cross-Cluster-Treffen der Netzwerkmanager", "Online", "WEEKLY"),
        (2, "140000", "170000", "Workshop Wasserstoff im Mittelstand", "Erfurt", None),
        (3, "090000", "160000", "Photonik-Tag Jena", "Jena, Ernst-Abbe-Platz", None),
        (8, "180000", "200000", "Stammtisch Medizintechnik", "Weimar", None),
    ]
    for offset, start, end, title, place, rule in entries:
        day = (today + timedelta(days=offset)).strftime("%Y%m%d")
        lines += [
            "BEGIN:VEVENT",
            f"UID:demo-{offset}@lotse",
            "DTSTAMP:20260101T000000Z",
            f"DTSTART;TZID=Europe/Berlin:{day}T{start}",
            f"DTEND;TZID=Europe/Berlin:{day}T{end}",
            f"SUMMARY:{title}",
            f"LOCATION:{place}",
        ]
        if rule:
            lines.append(f"RRULE:FREQ={rule};COUNT=8")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


async def _plugin(settings: Settings) -> EventsPlugin:
    from bot.cli import cli_plugin

    return await cli_plugin(settings, EventsPlugin)


def url_refusal(t: Translator, url: str) -> str | None:
    """Why `url` cannot be a feed's address (it must fit its column and be fetchable), for
    `!quelle add` and `lotse events import` alike; None if it can."""
    if len(url) > service.MAX_URL:
        return t("events.source.url_too_long", max=service.MAX_URL)
    checked = normalise_url(url)
    if isinstance(checked, Problem):
        return t("events.source.bad_url", problem=problem_text(t, checked))
    return None


def _translator(plugin: EventsPlugin) -> Translator:
    return plugin.services.catalogues.translator(plugin.settings.language)


async def cli_import(settings: Settings, args: argparse.Namespace) -> int:
    plugin = await _plugin(settings)
    t = _translator(plugin)
    now = plugin.services.clock()
    location: str = args.location
    bad_name = service.check_source_name(args.source)
    if bad_name is not None:
        print(f"--source: {render(problem_text(t, bad_name)).plain}", file=sys.stderr)
        return 2
    is_url = location.lower().startswith(("http://", "https://", "webcal://", "webcals://"))
    if is_url and (refusal := url_refusal(t, location)) is not None:
        print(render(refusal).plain, file=sys.stderr)
        return 2
    with plugin.store.transaction() as session:
        source = service.source_named(session, args.source)
        if source is None:
            source = service.add_source(session, args.source, None, "cli", now)
        if is_url:
            source.url = location
            source.etag = source.last_modified = None
            results = await service.fetch(service.requests_for([source]), plugin.limits)
            report = await plugin.apply_results(session, results, now, tell_room=False)
            failure = report.newly_failed[0][1] if report.newly_failed else service.error_of(source)
        else:
            failure = None
            max_bytes = plugin.limits.feed_max_bytes
            try:
                data = await asyncio.to_thread(read_bounded, Path(location), max_bytes)
                if data is None:  # the same limit as for a feed fetched over HTTP
                    failure = Problem("events.fetch.too_large", {"max_bytes": max_bytes})
                else:
                    await plugin.off_loop(
                        service.store_body, source, data, plugin.cache, now, settings.tz
                    )
                    source.url = None
            except OSError as exc:
                session.rollback()
                print(unreadable_file(t, location, exc), file=sys.stderr)
                return 1
            except FeedError as exc:
                failure = exc.problem
        if failure is not None:
            session.rollback()
            print(
                t("events.import.failed", file=location, problem=problem_text(t, failure)),
                file=sys.stderr,
            )
            return 1
        session.add(source)
        print(t("events.import.done", count=source.event_count, file=location, name=source.name))
        warnings = service.warnings_of(source)
        if warnings:  # the room hears of them with the next refresh
            text = t("events.import.warnings", problems=problems_text(t, warnings))
            print(render(text).plain, file=sys.stderr)
    return 0


async def cli_fetch(settings: Settings, args: argparse.Namespace) -> int:
    plugin = await _plugin(settings)
    t = _translator(plugin)
    with plugin.store.transaction() as session:
        rows = service.sources(session)
        results = await service.fetch(service.requests_for(rows), plugin.limits)
        now = plugin.services.clock()
        report = await plugin.apply_results(session, results, now, tell_room=False)
        failing = [s for s in service.sources(session) if s.error_key is not None]
    for row in failing:
        problem = service.error_of(row)
        assert problem is not None
        print(f"{row.name}: {render(problem_text(t, problem)).plain}", file=sys.stderr)
    print(
        t(
            "events.fetch.summary",
            ok=len(report.ok),
            not_modified=len(report.not_modified),
            failed=len(report.newly_failed) + len(report.still_failing),
        )
    )
    return 1 if failing else 0


def read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes, or None if it has more than `max_bytes` (read no further)."""
    with path.open("rb") as file:  # not stat(): a pipe or /dev/zero has no size
        data = file.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


async def cli_export(settings: Settings, args: argparse.Namespace) -> int:
    plugin = await _plugin(settings)
    today = plugin.today(plugin.services.clock())
    # as for the digest: at most a year each way (beyond, dates overflow and memory runs out)
    past_days = max(0, min(args.past_days, MAX_DAYS))
    days = max(1, min(args.days, MAX_DAYS))
    first = today - timedelta(days=past_days)
    with plugin.store.session() as session:
        view = await plugin.window_view(session, first, past_days + days)
    t = _translator(plugin)
    notes = views.incomplete_notes(t, view.problems)
    if notes:  # the file is still written: what fits is better than nothing
        print(render(notes).plain, file=sys.stderr)
    data = to_ics(view.occurrences, "-//Lotse//Events//DE", settings.tz, name="Lotse")
    return 0 if write_output(t, data, args.output) else 1


async def cli_digest(settings: Settings, args: argparse.Namespace) -> int:
    plugin = await _plugin(settings)
    now = plugin.services.clock()
    first = args.start or plugin.today(now)
    days = max(1, min(args.days, MAX_DAYS))
    last = first + timedelta(days=days - 1)
    room = settings.digest_rooms[0] if settings.digest_rooms else None
    with plugin.store.session() as session:
        view = await plugin.window_view(session, first, days)
        found = view.occurrences
        tickets = plugin.services.plugin("tickets")
        open_tickets: list[dict[str, Any]] = (
            tickets.open_tickets_summary(session, room, now)
            if isinstance(tickets, TicketsApi)
            else []
        )
        stale = plugin.stale_section(session, room, now, settings.language)
    if args.json:
        document = {
            "start": first.isoformat(),
            "end": last.isoformat(),
            "timezone": settings.timezone,
            "events": [views.occurrence_json(o, settings.tz) for o in found],
            "open_tickets": open_tickets,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        return 0
    t = _translator(plugin)
    print(render(views.digest(t, found, first, last, settings.tz, stale, view.problems)).plain)
    return 0
