"""The bot: wires transport, store, scheduler and plugins; owns the way a message travels.

event -> ledger check -> command lookup/permissions/arguments -> handler in a unit of work ->
commit (effects + ledger entry + outgoing messages, atomically) -> send from the outbox.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.commands import (
    ArgumentError,
    CommandRegistry,
    CommandSpec,
    parse_arguments,
    split_command,
    visible,
)
from bot.config import Settings
from bot.context import Context, JobContext, UnitOfWork, UserError
from bot.core_commands import CorePlugin
from bot.errors import error_line
from bot.i18n import Catalogues, Translator
from bot.messages import Message, md_code
from bot.models import HandledEvent, JobRun, OutboxMessage
from bot.plugin import JobSpec, Plugin, Services, discover_plugins, installed_migrations
from bot.scheduler import Scheduler
from bot.store import Store
from bot.transport.base import EventDeferred, Incoming, Outgoing, SendError, Transport

log = logging.getLogger(__name__)
U = TypeVar("U", bound=UnitOfWork)
SEND_GIVE_UP_AFTER = timedelta(minutes=15)
HANDLE_GIVE_UP_AFTER = timedelta(minutes=15)
# Far longer than any redelivery (a retried batch, a gap read back, a late room key).
KEEP_HANDLED = timedelta(days=30)
KEEP_SENT = timedelta(days=30)
PRUNE_EVERY = 3600.0  # seconds
LANGUAGE_KEY = "room.language."


def default_clock() -> datetime:
    return datetime.now(UTC)


class Bot:
    def __init__(
        self,
        settings: Settings,
        transport: Transport,
        store: Store | None = None,
        *,
        plugin_classes: list[type[Plugin]] | None = None,
        clock: Callable[[], datetime] = default_clock,
    ) -> None:
        self.settings = settings
        self.transport = transport
        self.clock = clock
        classes = discover_plugins(settings.plugins) if plugin_classes is None else plugin_classes
        migrations = installed_migrations(classes)
        if store is None and settings.database_url is None:
            settings.check_data_dir()  # the default SQLite file lives there
        self.store = store or Store(settings.db_url, migrations)
        self.store.migration_dirs = migrations
        self.catalogues = Catalogues()
        self.registry = CommandRegistry()
        self.services = Services(settings, self.store, self.catalogues, clock, {})
        self.plugins: list[Plugin] = [CorePlugin(self)]
        self.plugins += [cls(self.services) for cls in classes]
        for plugin in self.plugins:
            self.services.plugins[plugin.name] = plugin
            self.catalogues.add(plugin.catalogue)
            for spec in plugin.commands():
                self.registry.add(spec)
        self.scheduler = Scheduler(self.store, settings.tz, clock, self.run_job)
        for plugin in self.plugins:
            for job in plugin.jobs():
                self.scheduler.add(job, job.cron(settings))
        self._languages: dict[str, str] = {}
        self._flush_lock = asyncio.Lock()
        self._retry_task: asyncio.Task[None] | None = None
        self._failing: dict[str, float] = {}  # event id -> when handling it first failed
        self._pruned_at: float | None = None
        self._started = False

    # -- lifecycle -----------------------------------------------------------------------------

    async def setup(self) -> None:
        """Migrate and start plugins; everything short of connecting."""
        if self._started:
            return
        self.store.upgrade()
        self._languages = {
            key.removeprefix(LANGUAGE_KEY): value
            for key, value in self.store.values_with_prefix(LANGUAGE_KEY).items()
        }
        for plugin in self.plugins:
            await plugin.start()
        self._started = True

    async def run(self, *, with_scheduler: bool = True) -> None:
        """Serve until the transport stops."""
        await self.setup()
        ready = asyncio.create_task(self._when_connected(with_scheduler))
        try:
            await self.transport.run(self.handle)
        finally:
            ready.cancel()
            await self.shutdown()

    async def _when_connected(self, with_scheduler: bool) -> None:
        # Jobs need the joined rooms and sends need a connection: both come with the first sync.
        await self.transport.wait_ready()
        self._retry_task = asyncio.create_task(self._retry_outbox_forever())
        if with_scheduler:
            try:
                await self.scheduler.start()
            except Exception:
                log.exception("the scheduler could not start; scheduled jobs will not run")

    async def shutdown(self) -> None:
        """Stop jobs, send what is pending, stop plugins, close the transport: each step even
        if an earlier one failed (the database may be down at SIGTERM)."""
        try:
            await self.scheduler.stop()
            if self._retry_task is not None:
                self._retry_task.cancel()
                self._retry_task = None
            try:
                await self.flush_outbox()
            except Exception as exc:  # noqa: BLE001 - the outbox keeps them for the next start
                log.warning("pending messages not sent at shutdown: %s", error_line(exc))
            for plugin in self.plugins:
                try:
                    await plugin.stop()
                except Exception:
                    log.exception("plugin %s did not stop cleanly", plugin.name)
        finally:
            await self.transport.close()

    # -- languages -------------------------------------------------------------------------------

    def language_of(self, room_id: str) -> str:
        return self._languages.get(room_id, self.settings.language)

    def set_language(self, session: Session, room_id: str, lang: str) -> None:
        from bot.store import set_value

        set_value(session, LANGUAGE_KEY + room_id, lang)
        self._languages[room_id] = lang

    def translator(self, lang: str) -> Translator:
        return self.catalogues.translator(lang)

    # -- incoming events -------------------------------------------------------------------------

    async def handle(self, event: Incoming) -> None:
        """Handle one event exactly once; raises EventDeferred if it must come again."""
        try:
            if event.sender == self.transport.user_id or self.store.is_handled(event.event_id):
                return
            if event.kind == "reaction":
                await self._handle_reaction(event)
            else:
                await self._handle_message(replace(event, body=visible(event.body)))
        except Exception as exc:
            # Handler errors are answered inside the unit of work; what gets here is the store
            # failing (or a core bug). Ask for the event again rather than lose it, for a while.
            first = self._failing.setdefault(event.event_id, time.monotonic())
            if time.monotonic() - first < HANDLE_GIVE_UP_AFTER.total_seconds():
                log.warning("event %s could not be recorded (%s); deferred", event.event_id, exc)
                raise EventDeferred(event.event_id) from exc
            log.exception("event %s could not be handled; giving up on it", event.event_id)
        self._failing.pop(event.event_id, None)
        if len(self._failing) > 1000:  # events that never came back
            self._failing.clear()

    async def _handle_message(self, event: Incoming) -> None:
        prefix = self.settings.command_prefix
        parsed = split_command(event.body, prefix)
        allowed = not self.settings.allowed_users or self.settings.is_allowed(event.sender)
        if parsed is None:
            # Plain chat from strangers is not ours to answer, and not worth a refusal either.
            if allowed and len(event.body) <= self.settings.max_command_length:
                await self._try_listeners(event)
            return
        if not allowed:
            await self._answer(event, lambda ctx: ctx.reply(ctx.t("core.not_allowed")))
            return
        if len(event.body) > self.settings.max_command_length:
            length, limit = len(event.body), self.settings.max_command_length
            await self._answer(
                event, lambda ctx: ctx.reply(ctx.t("core.too_long", length=length, limit=limit))
            )
            return
        found = self.registry.lookup(parsed)
        if found.spec is None:
            await self._answer(event, lambda ctx: self._unknown(ctx, parsed.name, found.group))
            return
        spec, args_text = found.spec, found.args

        async def run(ctx: Context) -> None:
            if spec.admin and not ctx.is_admin:
                raise UserError("core.admin_only")
            try:
                kwargs = parse_arguments(spec.params, args_text)
            except ArgumentError as exc:
                ctx.reply(self._argument_problem(ctx, spec, exc))
                return
            try:
                await spec.func(ctx, **kwargs)
            except ArgumentError as exc:  # a handler reading its arguments further itself
                text = self._argument_problem(ctx, spec, exc)
                raise UserError("core.arguments", text=text) from None

        await self._answer(event, run)

    def _argument_problem(self, ctx: Context, spec: CommandSpec, exc: ArgumentError) -> str:
        """What is wrong with the arguments, then the usage."""
        params = dict(exc.params)
        if "name" in params:
            params["name"] = md_code(self.argument_name(str(params["name"]), ctx.language))
        detail = ctx.t(exc.key, **params)
        usage = self.usage(spec, ctx.language)
        # Something left out or left over is no wrong value: say only that.
        whole = exc.key in ("core.arg.missing", "core.arg.too_many")
        head = detail if whole else ctx.t("core.bad_arguments", detail=detail)
        return head + "  \n" + ctx.t("core.usage", usage=md_code(usage))

    def _unknown(self, ctx: Context, typed: str, group: list[CommandSpec]) -> None:
        if group:  # `!quelle` alone: show its subcommands
            lines = [ctx.t("core.help.subcommands")]
            lines += [f"- {md_code(self.usage(spec, ctx.language))}" for spec in group]
            ctx.reply("\n".join(lines))
            return
        text = ctx.t("core.unknown_command", name=md_code(ctx.prefix + typed[:40]))
        suggestion = self.registry.suggest(typed, ctx.language)
        if suggestion:
            text += " " + ctx.t("core.did_you_mean", suggestion=md_code(ctx.prefix + suggestion))
        text += "  \n" + ctx.t("core.see_help", prefix=ctx.prefix)
        ctx.reply(text)

    def argument_name(self, name: str, lang: str) -> str:
        """A handler parameter's name as users read it (`number` -> `Nummer`)."""
        return self.catalogues.raw(lang, f"core.argname.{name}") or name

    def usage(self, spec: CommandSpec, lang: str) -> str:
        name = self.settings.command_prefix + spec.name_for(lang)
        if spec.usage_key:
            args = self.catalogues.translate(lang, spec.usage_key)
        else:
            args = " ".join(f"[{p.name}]" if p.optional else f"<{p.name}>" for p in spec.params)
        return f"{name} {args}".strip()

    async def _try_listeners(self, event: Incoming) -> None:
        listeners = [listen for plugin in self.plugins for listen in plugin.listeners()]
        if not listeners:
            return

        async def run(ctx: Context) -> None:
            for listen in listeners:
                if await listen(ctx, event.body):
                    return

        # Ordinary chat leaves no ledger entry; only a message that was answered does.
        await self._answer(event, run, keep=lambda ctx: bool(ctx.outbox))

    async def _handle_reaction(self, event: Incoming) -> None:
        if not event.relates_to or not event.key:
            return
        if self.settings.allowed_users and not self.settings.is_allowed(event.sender):
            return  # a reaction is a command too; strangers' are ignored without a word
        with self.store.session() as session:
            target = session.exec(
                select(OutboxMessage).where(OutboxMessage.event_id == event.relates_to)
            ).first()
        if target is None or not target.tag:
            return
        plugin = self.services.plugin(target.tag.split(":", 1)[0])
        if plugin is None:
            return
        tag = target.tag
        for handler in plugin.reaction_handlers():

            async def run(ctx: Context, handler: Callable[..., Awaitable[None]] = handler) -> None:
                await handler(ctx, event.key, tag)

            await self._answer(event, run)

    async def _answer(
        self,
        event: Incoming,
        handler: Callable[[Context], Awaitable[None] | None],
        keep: Callable[[Context], bool] | None = None,
    ) -> None:
        """Run `handler` as one unit of work for `event`, then send what it queued."""

        def make(session: Session) -> Context:
            return Context(
                session=session,
                settings=self.settings,
                now=self.clock(),
                language_of=self.language_of,
                translator_for=self.translator,
                room_id=event.room_id,
                sender=event.sender,
                event_id=event.event_id,
                reply_to=event.relates_to if event.kind == "reaction" else event.event_id,
                prefix=self.settings.command_prefix,
                is_admin=self.settings.is_admin(event.sender),
                message_limit=self.transport.message_limit,
            )

        def ledger(ctx: Context) -> bool:
            if keep is not None and not keep(ctx):
                return False
            ctx.session.add(HandledEvent(event_id=event.event_id, room_id=event.room_id))
            return True

        await self._unit(make, handler, ledger)

    async def run_job(self, spec: JobSpec, slot: datetime) -> bool:
        """Run `spec` for `slot` unless that slot already ran; True if it ran now."""
        with self.store.session() as session:
            if session.get(JobRun, (spec.id, slot)) is not None:
                return False

        def make(session: Session) -> JobContext:
            return JobContext(
                session=session,
                settings=self.settings,
                now=self.clock(),
                language_of=self.language_of,
                translator_for=self.translator,
                slot=slot,
                rooms=self.transport.joined_rooms(),
                message_limit=self.transport.message_limit,
            )

        def ledger(ctx: JobContext) -> bool:
            ctx.session.add(JobRun(job_id=spec.id, slot=slot))
            return True

        return await self._unit(make, spec.func, ledger)

    async def _unit(
        self,
        make: Callable[[Session], U],
        handler: Callable[[U], Awaitable[None] | None],
        ledger: Callable[[U], bool],
    ) -> bool:
        with self.store.session() as session:
            ctx = make(session)
            try:
                result = handler(ctx)
                if result is not None:
                    await result
            except UserError as exc:
                self._discard(ctx)
                self._reply_error(ctx, ctx.t_for(_room(ctx))(exc.key, **exc.params))
            except Exception:
                log.exception("handler failed; its changes were rolled back")
                self._discard(ctx)
                if not isinstance(ctx, Context):
                    raise  # a job's slot stays open: the scheduler tries it again
                self._reply_error(ctx, ctx.t_for(_room(ctx))("core.internal_error"))
            if not ledger(ctx):
                session.rollback()
                return False
            for reply in ctx.outbox:
                session.add(_outbox_row(reply.room_id, reply.message, reply.reply_to, reply.tag))
            try:
                session.commit()
            except IntegrityError:
                # Another process handled the same event or slot first.
                session.rollback()
                return False
        await self.flush_outbox()
        return True

    @staticmethod
    def _discard(ctx: UnitOfWork) -> None:
        ctx.session.rollback()
        ctx.outbox.clear()

    @staticmethod
    def _reply_error(ctx: UnitOfWork, text: str) -> None:
        if isinstance(ctx, Context):
            ctx.reply(text)

    # -- outgoing -----------------------------------------------------------------------------

    async def flush_outbox(self) -> int:
        """Send every pending message, in order within each room; returns how many are still
        pending. A room that fails holds back only its own later messages."""
        async with self._flush_lock:
            with self.store.session() as session:
                pending = session.exec(
                    select(OutboxMessage)
                    .where(col(OutboxMessage.sent_at).is_(None), OutboxMessage.gave_up == False)  # noqa: E712
                    .order_by(col(OutboxMessage.id))
                ).all()
                held: set[str] = set()
                for row in pending:
                    if row.room_id not in held and not await self._send_row(session, row):
                        held.add(row.room_id)
                return sum(1 for row in pending if row.sent_at is None and not row.gave_up)

    async def _send_row(self, session: Session, row: OutboxMessage) -> bool:
        message = Message(row.plain, row.html, frozenset(filter(None, row.mentions.split("\n"))))
        out = Outgoing(row.room_id, message, row.txn_id, row.reply_to)
        try:
            row.event_id = await self.transport.send(out)
            row.sent_at = datetime.now(UTC)
        except SendError as exc:
            row.attempts += 1
            age = datetime.now(UTC) - row.created_at
            if not exc.transient or age > SEND_GIVE_UP_AFTER:
                row.gave_up = True
                log.error(
                    "gave up sending message %s to %s after %d attempts: %s",
                    row.id,
                    row.room_id,
                    row.attempts,
                    exc,
                )
            else:
                log.warning("sending message %s failed (%s); will retry", row.id, exc)
        session.add(row)
        session.commit()
        return row.sent_at is not None or row.gave_up

    def prune_if_due(self) -> None:
        """Now and then, forget old ledger entries and sent messages: two indexed deletes."""
        now = time.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        current = datetime.now(UTC)  # as the rows are stamped, whatever clock handlers see
        handled, sent = self.store.prune(current - KEEP_HANDLED, current - KEEP_SENT)
        if handled or sent:
            log.info("pruned %d handled events and %d sent messages", handled, sent)

    async def _retry_outbox_forever(self) -> None:
        """Send what is pending now (left from before a restart), then keep retrying."""
        delay = 0.5
        failing = False
        while True:
            try:
                pending = await self.flush_outbox()
            except Exception as exc:  # noqa: BLE001 - the store is down: keep trying, log once
                if not failing:
                    log.warning("cannot read the outbox (%s); retrying", error_line(exc))
                failing, pending = True, 1
            else:
                if failing:
                    log.warning("outbox readable again")
                failing = False
            if not failing:
                try:
                    self.prune_if_due()
                except Exception as exc:  # noqa: BLE001 - housekeeping: next hour, then
                    log.warning("pruning old ledger entries failed: %s", error_line(exc))
            # Back off while sends fail; otherwise just look now and then.
            delay = min(delay * 2, 10.0) if pending else 0.5
            await asyncio.sleep(delay if pending else 5.0)


def _room(ctx: UnitOfWork) -> str:
    return ctx.room_id if isinstance(ctx, Context) else ""


def _outbox_row(
    room_id: str, message: Message, reply_to: str | None, tag: str | None
) -> OutboxMessage:
    return OutboxMessage(
        txn_id=f"lotse-{int(time.time() * 1000)}-{secrets.token_hex(8)}",
        room_id=room_id,
        reply_to=reply_to,
        plain=message.plain,
        html=message.html,
        mentions="\n".join(sorted(message.mentions)),
        tag=tag,
    )
