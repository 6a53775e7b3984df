"""Keeping dateutil's RRULE walk bounded: an estimate up front, a step budget while it runs.

dateutil walks a rule from DTSTART, one period (day, week, ...) at a time, and stops only at
the first *match* after the asked window (or at COUNT/UNTIL matches, or in the year 9999).
`FREQ=SECONDLY` from 1970 is a few billion candidates, and a rule that never matches
(`BYMONTH=2;BYMONTHDAY=30`) walks every day up to 9999: seconds of CPU for one event.
Capping the *result* count stops neither, so

- `rule_cost` estimates the walk up to the window end (coarse, cheap) to refuse a series
  before any work is done,
- `never_matches` refuses rules whose BYMONTH/BYMONTHDAY/BYYEARDAY cannot meet at all,
- and `StepMeter` counts the periods dateutil really walks (see `meter_rule`) and stops the
  walk with `BudgetExhausted` once it goes beyond the estimate plus a margin: whatever else
  makes a rule match never (or once in centuries), the walk ends there.

The units are "days examined" (times the time-of-day candidates per day), which is what
dateutil's work is proportional to.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from dateutil.rrule import rrule

_SECONDS = {
    "SECONDLY": 1.0,
    "MINUTELY": 60.0,
    "HOURLY": 3600.0,
    "DAILY": 86400.0,
    "WEEKLY": 7 * 86400.0,
    "MONTHLY": 31 * 86400.0,
    "YEARLY": 366 * 86400.0,
}
_ORDER = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# dateutil examines every day of a period: with no BY-day part it fills in DTSTART's weekday,
# day of month or month and filters by that.
_DAYS_PER_PERIOD = {"WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
# The parts that, when none is given, make dateutil fill in DTSTART's day of month.
_DAY_PARTS = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")
_MONTH_SECONDS = 31 * 86400.0
# ... and expands each day into the product of these, for the parts finer than FREQ
_TIME_PARTS = (("BYHOUR", "HOURLY"), ("BYMINUTE", "MINUTELY"), ("BYSECOND", "SECONDLY"))

#: Denser than one occurrence per five minutes is no meeting; such rules are refused.
MIN_SECONDS_PER_OCCURRENCE = 300.0


@dataclass(frozen=True, slots=True)
class RuleCost:
    """Parameters of one RRULE, enough to estimate the candidates up to any window end."""

    start_ts: float
    period: float  # seconds between two periods of the rule (FREQ x INTERVAL)
    per_period: int  # candidates dateutil generates in one period
    until_ts: float | None
    count: int | None
    extra: int = 0  # RDATE values, all generated whatever the window

    @classmethod
    def fixed(cls, candidates: int) -> RuleCost:
        """Candidates generated whatever the window, like the RDATE values of a series."""
        return cls(start_ts=0.0, period=1.0, per_period=0, until_ts=None, count=0, extra=candidates)

    def candidates(self, window_end_ts: float) -> float:
        stop = window_end_ts if self.until_ts is None else min(window_end_ts, self.until_ts)
        periods = max(0.0, (stop - self.start_ts) / self.period) + 1.0
        if self.count is not None:
            periods = min(periods, float(self.count))
        return periods * self.per_period + self.extra

    @property
    def step_weight(self) -> float:
        """Candidates per `StepMeter.tick`: dateutil rebuilds its masks once per period for
        MONTHLY and YEARLY rules, once per calendar month for the finer ones."""
        if self.period >= 28 * 86400.0 and self.per_period >= 31:  # MONTHLY, YEARLY
            return float(self.per_period)
        return max(1.0, _MONTH_SECONDS / self.period * self.per_period)


def rule_cost(rule: Any, dtstart: date) -> RuleCost:
    """`rule` is an icalendar vRecur (a mapping of part name to a list of values)."""
    rule = _plain(rule)
    freq = _freq(rule)
    interval = max(1, int(_one(rule, "INTERVAL") or 1))
    count = _one(rule, "COUNT")
    until = _one(rule, "UNTIL")
    return RuleCost(
        start_ts=timestamp(dtstart),
        period=_SECONDS[freq] * interval,
        per_period=_per_period(rule, freq),
        until_ts=timestamp(until) if isinstance(until, date) else None,
        # recurring-ical-events drops a negative COUNT, which leaves the rule unbounded
        count=int(count) if count is not None and int(count) >= 0 else None,
    )


def never_matches(rule: Any, dtstart: date) -> bool:
    """Whether the rule's months and days of month (or of year) can never meet, like
    `BYMONTH=2;BYMONTHDAY=30`: dateutil would look for a match until the year 9999."""
    rule = _plain(rule)
    freq = _freq(rule)
    months = _ints(rule, "BYMONTH") or list(range(1, 13))
    monthdays = _ints(rule, "BYMONTHDAY")
    if not monthdays and freq in ("MONTHLY", "YEARLY") and not any(rule.get(p) for p in _DAY_PARTS):
        monthdays = [dtstart.day]  # dateutil's default: DTSTART's day of month
    if monthdays and not any(
        1 <= abs(day) <= _longest_month(month) for month in months for day in monthdays
    ):
        return True
    yeardays = _ints(rule, "BYYEARDAY")
    if yeardays and rule.get("BYMONTH"):
        wanted = set(months)
        return not any(
            _month_of_yearday(day, leap) in wanted for day in yeardays for leap in (False, True)
        )
    return False


def too_frequent(rule: Any) -> bool:
    """Whether the rule yields occurrences more often than any real event series would."""
    rule = _plain(rule)
    freq = _freq(rule)
    interval = max(1, int(_one(rule, "INTERVAL") or 1))
    # With day filters the candidates include days filtered out later, so this errs towards
    # "dense"; a period's days are ~86400 s apart, so only the time parts can make it dense.
    seconds_per_candidate = _SECONDS[freq] * interval / _per_period(rule, freq)
    return seconds_per_candidate < MIN_SECONDS_PER_OCCURRENCE


def timestamp(value: date) -> float:
    """POSIX time of a date (midnight UTC), floating datetime (as UTC) or aware datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp()


def _plain(rule: Any) -> dict[str, Any]:
    # vRecur is a case-insensitive dict whose lookups are slow; feeds have hundreds of rules
    return {str(key).upper(): value for key, value in rule.items()}


def _freq(rule: Any) -> str:
    freq = str(_one(rule, "FREQ") or "").upper()
    if freq not in _SECONDS:
        raise ValueError(f"unknown FREQ {freq!r}")
    return freq


def _per_period(rule: Any, freq: str) -> int:
    return _DAYS_PER_PERIOD.get(freq, 1) * _time_factor(rule, freq)


def _time_factor(rule: Any, freq: str) -> int:
    factor = 1
    for part, part_freq in _TIME_PARTS:
        # BYHOUR with FREQ=HOURLY (or coarser parts) only filters; finer parts multiply
        if _ORDER.index(part_freq) < _ORDER.index(freq):
            values = rule.get(part)
            if values:
                factor *= len(values) if isinstance(values, list) else 1
    return factor


def _ints(rule: Any, part: str) -> list[int]:
    values = rule.get(part)
    if values is None:
        return []
    return [int(v) for v in (values if isinstance(values, list) else [values])]


def _longest_month(month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"BYMONTH {month} out of range")
    return calendar.monthrange(2024, month)[1]  # a leap year: February has 29 days


def _month_of_yearday(day: int, leap: bool) -> int | None:
    length = 366 if leap else 365
    if not 1 <= abs(day) <= length:
        return None
    first = date(2024 if leap else 2023, 1, 1)
    index = day - 1 if day > 0 else length + day
    return (first + timedelta(days=index)).month


def _one(rule: Any, part: str) -> Any:
    value = rule.get(part)
    if isinstance(value, list):
        return value[0] if value else None
    return value


# --- the step budget while dateutil runs ----------------------------------------------------


class BudgetExhausted(Exception):
    """A rule walked further than its budget: it matches never, or hardly ever."""


class StepPool:
    """The budget all series of one feed share (so a thousand heavy series cannot add up)."""

    __slots__ = ("limit", "used")

    def __init__(self) -> None:
        self.used = 0.0
        self.limit = 0.0

    def allow(self, limit: float) -> None:
        # dateutil caches what it walked: the count is cumulative, limits only ever grow
        self.limit = max(self.limit, limit)


class StepMeter:
    """The candidates dateutil examined for one series' rules, cumulatively.

    `tick` is called from inside dateutil's walk (see `meter_rule`); beyond `limit`, or when
    the feed's pool is used up, it raises `BudgetExhausted` there, which ends the walk.
    dateutil's rule is unusable after that (its cache lock stays taken): `exhausted` says so,
    and the series must not be expanded again.
    """

    __slots__ = ("exhausted", "limit", "pool", "used", "weight")

    def __init__(self, weight: float, pool: StepPool) -> None:
        self.weight = weight
        self.pool = pool
        self.used = 0.0
        self.limit = 0.0
        self.exhausted = False

    def allow(self, limit: float) -> None:
        self.limit = max(self.limit, limit)

    def tick(self) -> None:
        pool = self.pool
        if self.used >= self.limit or pool.used >= pool.limit:
            self.exhausted = True
            raise BudgetExhausted(f"walked {self.used:.0f} of {self.limit:.0f} steps")
        self.used += self.weight
        pool.used += self.weight


class _MeteredRule(rrule):
    """A dateutil rule that reports each period of its walk to a `StepMeter`.

    dateutil has no hook for this; it reads `_byeaster` every time it moves to another
    month (another period for MONTHLY and YEARLY), before looking at its days, so that read
    is where the meter ticks. The value itself is passed through unchanged.
    """

    _lotse_meter: StepMeter

    @property
    def _byeaster(self) -> Any:
        self._lotse_meter.tick()
        return self.__dict__["_byeaster"]

    @_byeaster.setter
    def _byeaster(self, value: Any) -> None:
        self.__dict__["_byeaster"] = value


def meter_rule(rule: Any, meter: StepMeter) -> bool:
    """Make `rule` (a dateutil rrule not iterated yet) tick `meter`; False if it is no rrule."""
    if type(rule) is not rrule or "_byeaster" not in vars(rule):
        return False
    rule.__class__ = _MeteredRule
    rule._lotse_meter = meter
    return True
