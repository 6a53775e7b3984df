"""The scheduler seam: APScheduler (asyncio) firing plugin jobs by cron in LOTSE_TIMEZONE.

Every run is for a *slot* (the scheduled time it stands for) and is recorded in the run ledger
in the same transaction as the job's effects, so a slot runs at most once across restarts and
processes. At start, the newest slot missed while the bot was down runs once (older missed
slots are coalesced into it); slots from before the job was first seen are not caught up.
A run that fails leaves its slot open and is retried a few times with growing delays.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.plugin import JobSpec
from bot.store import Store

log = logging.getLogger(__name__)
RunSlot = Callable[[JobSpec, datetime], Awaitable[bool]]
_DOW_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]
LOOKBACK = timedelta(days=35)
RETRY_DELAYS = (60.0, 300.0, 900.0, 3600.0)  # after a failed run of a slot


def cron_trigger(line: str, tz: ZoneInfo) -> CronTrigger:
    """A crontab line as standard cron means it (APScheduler counts weekdays from Monday=0)."""
    fields = line.split()
    if len(fields) != 5:
        raise ValueError(f"cron needs 5 fields, got {len(fields)}: {line!r}")
    fields[4] = re.sub(r"\d+", lambda m: _DOW_NAMES[int(m.group()) % 8], fields[4])
    return CronTrigger.from_crontab(" ".join(fields), timezone=tz)


def latest_slot(trigger: CronTrigger, now: datetime, since: datetime) -> datetime | None:
    """The last fire time in (since, now], or None."""
    slot: datetime | None = None
    cursor = trigger.get_next_fire_time(None, since)
    while cursor is not None and cursor <= now:
        if cursor > since:
            slot = cursor
        # Step in UTC: wall-clock arithmetic stands still in the repeated hour of a DST fall-back.
        probe = (cursor.astimezone(UTC) + timedelta(seconds=1)).astimezone(cursor.tzinfo)
        following = trigger.get_next_fire_time(cursor, probe)
        if following is not None and following.astimezone(UTC) <= cursor.astimezone(UTC):
            log.error("cron trigger %s does not advance past %s", trigger, cursor.isoformat())
            break
        cursor = following
    return slot


class Scheduler:
    def __init__(
        self,
        store: Store,
        tz: ZoneInfo,
        clock: Callable[[], datetime],
        run_slot: RunSlot,
        retry_delays: Sequence[float] = RETRY_DELAYS,
    ) -> None:
        self.store = store
        self.tz = tz
        self.clock = clock
        self.run_slot = run_slot
        self.retry_delays = tuple(retry_delays)
        self.jobs: dict[str, tuple[JobSpec, CronTrigger]] = {}
        self._aps: AsyncIOScheduler | None = None
        self._retries: set[asyncio.Task[bool]] = set()

    def add(self, spec: JobSpec, cron_line: str) -> None:
        self.jobs[spec.id] = (spec, cron_trigger(cron_line, self.tz))

    async def start(self) -> None:
        await self.catch_up()
        self._aps = AsyncIOScheduler(timezone=self.tz)
        for job_id, (_spec, trigger) in self.jobs.items():
            self._aps.add_job(
                self.fire,
                trigger,
                args=[job_id],
                id=job_id,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=3600,
            )
        self._aps.start()

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        for task in self._retries:
            task.cancel()

    def first_seen(self, job_id: str, now: datetime) -> datetime:
        key = f"scheduler.first_seen.{job_id}"
        stored = self.store.get_value(key)
        if stored is None:
            self.store.set_value(key, now.isoformat())
            return now
        return datetime.fromisoformat(stored)

    async def catch_up(self) -> list[str]:
        """Run each job's newest missed slot once; returns the ids of the jobs that ran."""
        ran = []
        now = self.clock().astimezone(self.tz)
        for job_id, (spec, trigger) in self.jobs.items():
            since = max(self.first_seen(job_id, now), now - LOOKBACK)
            slot = latest_slot(trigger, now, since - timedelta(microseconds=1))
            if slot is not None and await self.attempt(spec, slot):
                log.info("caught up job %s for %s", job_id, slot.isoformat())
                ran.append(job_id)
        return ran

    async def fire(self, job_id: str) -> bool:
        """APScheduler's callback: run the slot that is due now (at most once)."""
        spec, trigger = self.jobs[job_id]
        now = self.clock().astimezone(self.tz)
        # A timer may wake a little early or late; the slot is the trigger's, not the clock's.
        slot = latest_slot(trigger, now + timedelta(seconds=2), now - timedelta(days=1))
        if slot is None:
            return False
        return await self.attempt(spec, slot)

    async def attempt(self, spec: JobSpec, slot: datetime, retry: int = 0) -> bool:
        """Run the slot; if the job fails, its slot stays open and is tried again later (a
        digest that met a passing database error still goes out), a few times at most."""
        try:
            return await self.run_slot(spec, slot)
        except Exception:  # noqa: BLE001 - already logged with its traceback by the runner
            if retry >= len(self.retry_delays):
                log.error("job %s for %s failed %d times; giving up", spec.id, slot, retry + 1)
                return False
            delay = self.retry_delays[retry]
            log.warning("job %s for %s failed; retrying in %.0f s", spec.id, slot, delay)
            task = asyncio.create_task(self._retry_later(spec, slot, retry + 1, delay))
            self._retries.add(task)
            task.add_done_callback(self._retries.discard)
            return False

    async def _retry_later(self, spec: JobSpec, slot: datetime, retry: int, delay: float) -> bool:
        await asyncio.sleep(delay)
        return await self.attempt(spec, slot, retry)
