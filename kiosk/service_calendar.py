"""When a service is offered: weekdays, days of the month, opening hours.

A manager's reception day on the 10th and 25th (seed 000) is `days_of_month=(10, 25)`.
Pure: local datetimes in, answers out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

ALL_WEEKDAYS = (1, 2, 3, 4, 5, 6, 7)  # ISO: Monday = 1


@dataclass(frozen=True)
class ServiceCalendar:
    """Opening periods are minutes after midnight, end excluded: (540, 1020) is 09:00-17:00,
    (0, 1440) the whole day, and (1320, 360) is 22:00 to 06:00 the next morning, belonging to
    the day it starts on (a round-the-clock or night-shift site)."""

    weekdays: tuple[int, ...] = (1, 2, 3, 4, 5)
    days_of_month: tuple[int, ...] = ()  # empty: any day of the month
    hours: tuple[tuple[int, int], ...] = ((540, 1020),)
    closed_dates: tuple[date, ...] = ()  # public holidays

    def offered_on(self, day: date) -> bool:
        if day in self.closed_dates:
            return False
        if day.isoweekday() not in self.weekdays:
            return False
        return not self.days_of_month or day.day in self.days_of_month

    def is_open(self, local: datetime) -> bool:
        minute = local.hour * 60 + local.minute + local.second / 60
        today, yesterday = local.date(), local.date() - timedelta(days=1)
        for start, end in self.hours:
            if start < end:
                if self.offered_on(today) and start <= minute < end:
                    return True
            elif (self.offered_on(today) and minute >= start) or (self.offered_on(yesterday) and minute < end):
                return True  # a period across midnight
        return False

    def next_opening(self, local: datetime, horizon_days: int = 62) -> datetime | None:
        """The next moment at or after `local` when the service opens; None if not within the horizon."""
        if self.is_open(local):
            return local
        day = local.date()
        for offset in range(horizon_days + 1):
            d = day + timedelta(days=offset)
            if not self.offered_on(d):
                continue
            for start, _end in sorted(self.hours):
                candidate = datetime.combine(d, time(start // 60, start % 60), tzinfo=local.tzinfo)
                if candidate >= local:
                    return candidate
        return None

    def add_open_hours(self, local: datetime, hours: float, horizon_days: int = 366) -> datetime | None:
        """The moment `hours` of opening time after `local`: 8 opening hours from Friday 16:00,
        with 09:00-17:00 on weekdays, is Monday 16:00 (holidays skipped). None if the calendar
        has not that much opening time within the horizon."""
        return self._add(local, hours, horizon_days, whole_days=False)

    def add_working_day_hours(self, local: datetime, hours: float, horizon_days: int = 366) -> datetime | None:
        """The moment `hours` after `local` counting only the days the site works, whole: 24 h
        from Friday 16:00 is Monday 16:00, 72 h is Wednesday 16:00 ("三個工作天")."""
        return self._add(local, hours, horizon_days, whole_days=True)

    def _add(self, local: datetime, hours: float, horizon_days: int, whole_days: bool) -> datetime | None:
        left = timedelta(hours=hours)
        for offset in range(-1, horizon_days + 1):
            d = local.date() + timedelta(days=offset)
            if not self.offered_on(d):
                continue
            for start, end in ((0, 1440),) if whole_days else sorted(self.hours):
                begin = datetime.combine(d, time(start // 60, start % 60), tzinfo=local.tzinfo)
                finish = datetime.combine(d, time(0), tzinfo=local.tzinfo) + timedelta(
                    minutes=end if end > start else end + 1440
                )
                begin = max(begin, local)
                if finish <= begin:
                    continue
                if finish - begin >= left:
                    return begin + left
                left -= finish - begin
        return None
