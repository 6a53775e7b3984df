"""Estimating what an RRULE costs to expand, to refuse pathological feeds before dateutil runs.

dateutil walks a rule from DTSTART up to the end of the asked window, one candidate at a
time, whatever the window start is. `FREQ=SECONDLY` from 1970 is a few billion candidates;
capping the *result* count would not stop that, so we estimate the walk up front. The
estimate is deliberately coarse (an upper bound within a small factor) and cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

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
# dateutil builds the whole set of days of a period and filters it when any of these is set
_DAY_FILTERS = ("BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")
_DAYS_PER_PERIOD = {"WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}
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
    days = _DAYS_PER_PERIOD.get(freq, 1) if _has_day_filter(rule, freq) else 1
    return days * _time_factor(rule, freq)


def _time_factor(rule: Any, freq: str) -> int:
    factor = 1
    for part, part_freq in _TIME_PARTS:
        # BYHOUR with FREQ=HOURLY (or coarser parts) only filters; finer parts multiply
        if _ORDER.index(part_freq) < _ORDER.index(freq):
            values = rule.get(part)
            if values:
                factor *= len(values) if isinstance(values, list) else 1
    return factor


def _has_day_filter(rule: Any, freq: str) -> bool:
    return freq in _DAYS_PER_PERIOD and any(rule.get(part) for part in _DAY_FILTERS)


def _one(rule: Any, part: str) -> Any:
    value = rule.get(part)
    if isinstance(value, list):
        return value[0] if value else None
    return value
