"""Cron slots, catch-up after downtime, and never twice for the same slot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.context import JobContext
from bot.plugin import Plugin, job
from bot.scheduler import cron_trigger, latest_slot
from tests.harness import FakeClock, make_chat

BERLIN = ZoneInfo("Europe/Berlin")


class Weekly(Plugin):
    name = "weekly"
    title = "weekly"
    runs: list[datetime] = []

    @job("post", cron=lambda settings: settings.digest_cron)
    async def post(self, jc: JobContext) -> None:
        assert jc.slot is not None
        type(self).runs.append(jc.slot)
        for room in jc.rooms:
            jc.send(room, f"Wochenpost {jc.slot:%d.%m.}")


def test_standard_cron_weekday_numbers() -> None:
    # crontab counts Sunday as 0 and Monday as 1; APScheduler alone would shift them by a day.
    monday = cron_trigger("0 8 * * 1", BERLIN)
    start = datetime(2026, 11, 18, tzinfo=BERLIN)  # a Wednesday
    assert monday.get_next_fire_time(None, start) == datetime(2026, 11, 23, 8, tzinfo=BERLIN)
    sunday = cron_trigger("0 8 * * 0", BERLIN)
    assert sunday.get_next_fire_time(None, start) == datetime(2026, 11, 22, 8, tzinfo=BERLIN)


def test_latest_slot_uses_local_time_across_dst() -> None:
    trigger = cron_trigger("0 8 * * mon", BERLIN)
    now = datetime(2026, 11, 4, 12, tzinfo=UTC)  # Wednesday after the October switch
    slot = latest_slot(trigger, now, now - timedelta(days=20))
    assert slot == datetime(2026, 11, 2, 8, tzinfo=BERLIN)
    assert slot.utcoffset() == timedelta(hours=1)
    assert latest_slot(trigger, now, slot) is None


def test_latest_slot_passes_the_repeated_hour_of_a_dst_fall_back() -> None:
    # 2026-10-25: 02:00-03:00 happens twice in Berlin; stepping in wall-clock time stood still here.
    hourly = cron_trigger("0 * * * *", BERLIN)
    now = datetime(2026, 10, 25, 12, tzinfo=UTC)
    slot = latest_slot(hourly, now, now - timedelta(days=1))
    assert slot is not None and slot.astimezone(UTC) == now
    quarterly = cron_trigger("*/15 * * * *", BERLIN)
    assert latest_slot(quarterly, now, now - timedelta(hours=12)) == now


def test_latest_slot_skips_the_missing_hour_of_a_dst_spring_forward() -> None:
    nightly = cron_trigger("30 2 * * *", BERLIN)  # 02:30 does not exist on 2026-03-29
    now = datetime(2026, 3, 29, 12, tzinfo=UTC)
    slot = latest_slot(nightly, now, now - timedelta(days=2))
    assert slot is not None and slot.astimezone(UTC) <= now


async def test_missed_slot_runs_once_at_start_and_never_twice(settings: Settings) -> None:
    Weekly.runs = []
    clock = FakeClock(datetime(2026, 11, 16, 7, 0, tzinfo=UTC))  # Monday 08:00 Berlin
    chat = await make_chat(settings, [Weekly], clock=clock)
    assert await chat.bot.scheduler.catch_up() == ["weekly.post"]  # first seen, slot due now
    # The bot is down for over a week; at start the newest missed slot runs once.
    clock.now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    chat2 = await make_chat(settings, [Weekly], clock=clock)
    assert await chat2.bot.scheduler.catch_up() == ["weekly.post"]
    assert Weekly.runs[-1] == datetime(2026, 11, 23, 8, tzinfo=BERLIN)
    # Restarting again in the same week posts nothing more; nor does the timer for that slot.
    chat3 = await make_chat(settings, [Weekly], clock=clock)
    assert await chat3.bot.scheduler.catch_up() == []
    assert await chat3.bot.scheduler.fire("weekly.post") is False
    assert len(Weekly.runs) == 2
    posted = [o.message.plain for o in chat3.transport.sent + chat2.transport.sent]
    assert "Wochenpost 23.11." in posted


async def test_slots_before_first_start_are_not_caught_up(settings: Settings) -> None:
    Weekly.runs = []
    clock = FakeClock(datetime(2026, 11, 18, 10, 0, tzinfo=UTC))  # Wednesday
    chat = await make_chat(settings, [Weekly], clock=clock)
    assert await chat.bot.scheduler.catch_up() == []
    clock.now = datetime(2026, 11, 23, 7, 0, 1, tzinfo=UTC)  # the timer fires on Monday
    assert await chat.bot.scheduler.fire("weekly.post") is True
    assert await chat.bot.scheduler.fire("weekly.post") is False
    assert Weekly.runs == [datetime(2026, 11, 23, 8, tzinfo=BERLIN)]


class Flaky(Plugin):
    """A weekly job whose first run fails (say, the database was briefly away)."""

    name = "flaky"
    title = "flaky"
    failures_left = 1
    posted: list[datetime] = []

    @job("post", cron=lambda settings: settings.digest_cron)
    async def post(self, jc: JobContext) -> None:
        assert jc.slot is not None
        for room in jc.rooms:
            jc.send(room, "Wochenpost")
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            raise RuntimeError("database went away")
        type(self).posted.append(jc.slot)


async def test_a_failed_run_leaves_its_slot_open_and_is_retried(settings: Settings) -> None:
    import asyncio

    Flaky.failures_left, Flaky.posted = 1, []
    clock = FakeClock(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))  # Monday 08:00 Berlin
    chat = await make_chat(settings, [Flaky], clock=clock)
    chat.bot.scheduler.retry_delays = (0.01,)
    assert await chat.bot.scheduler.fire("flaky.post") is False  # failed: nothing sent
    assert chat.transport.sent == []
    for _ in range(100):
        if Flaky.posted:
            break
        await asyncio.sleep(0.01)
    assert Flaky.posted == [datetime(2026, 11, 23, 8, tzinfo=BERLIN)]
    sent = chat.transport.sent  # one post per room, from the retry alone
    assert sorted(o.room_id for o in sent) == sorted(chat.transport.rooms)
    assert await chat.bot.scheduler.fire("flaky.post") is False  # that slot is done now


async def test_a_job_that_keeps_failing_gives_up_after_its_retries(settings: Settings) -> None:
    import asyncio

    Flaky.failures_left, Flaky.posted = 10, []
    clock = FakeClock(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    chat = await make_chat(settings, [Flaky], clock=clock)
    chat.bot.scheduler.retry_delays = (0.01, 0.01)
    await chat.bot.scheduler.fire("flaky.post")
    for _ in range(100):
        if Flaky.failures_left == 7 and not chat.bot.scheduler._retries:
            break
        await asyncio.sleep(0.01)
    assert Flaky.failures_left == 7  # the run and two retries, then no more
    assert Flaky.posted == [] and chat.transport.sent == []
