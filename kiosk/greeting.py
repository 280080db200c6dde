"""Stand up and greet: the seeds' rules as a state machine (001 第三篇 三.3; 002 表情语言; 003 3.2.3).

Greet a customer at about three metres; stand up when a customer enters the hall; answer
within three rings. Fed by presence events from any number of sensors, it decides when to
alert, repeat, escalate and re-arm. Pure: no I/O, times come in as arguments, and every call
returns the actions to carry out (the Greeter applies them through the engine).

- A person entering the zone raises one alert to the open counters.
- A group walking in together is one alert: entries within `group_window_s` of the alert, from
  any sensor (two sensors seeing the same person included), join it.
- Unconfirmed, the alert repeats every `repeat_s`, at most `max_repeats` times (three rings),
  then escalates to every counter and the manager.
- "Greeted" from a counter confirms it: who and when are logged.
- The zone re-arms only after it has been empty for `rearm_after_s`.
- Outside opening hours there are no alerts (the arrivals are still counted).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GreetingPolicy:
    group_window_s: float = 8.0
    repeat_s: float = 10.0
    max_repeats: int = 3
    rearm_after_s: float = 5.0


@dataclass(frozen=True)
class Action:
    kind: str                 # "alert" | "join" | "repeat" | "escalate" | "arrival_quiet"
    alert: int | None = None  # the machine's alert number (the Greeter maps it to a stored id)
    at: float = 0.0
    sources: tuple[str, ...] = ()
    distance_m: float | None = None
    repeat: int = 0


@dataclass
class _Alert:
    number: int
    raised_at: float
    sources: set[str]
    repeats: int = 0
    escalated: bool = False
    confirmed: bool = False


@dataclass
class GreetingMachine:
    policy: GreetingPolicy = field(default_factory=GreetingPolicy)
    occupied_by: set[str] = field(default_factory=set)     # sensors that see someone now
    empty_since: float | None = None                        # when the last sensor stopped seeing anyone
    armed: bool = True
    open_alerts: dict[int, _Alert] = field(default_factory=dict)
    last_alert: _Alert | None = None
    _numbers: int = 0

    def enter(self, source: str, now: float, in_hours: bool, distance_m: float | None = None) -> list[Action]:
        self.occupied_by.add(source)
        self.empty_since = None
        last = self.last_alert
        if last is not None and now - last.raised_at <= self.policy.group_window_s:
            if source not in last.sources:
                last.sources.add(source)
                return [Action("join", last.number, now, (source,), distance_m)]
            return []                                     # the same group, still walking in
        if not self.armed:
            return []                                     # someone still in the zone: not a new arrival
        self.armed = False
        if not in_hours:
            return [Action("arrival_quiet", None, now, (source,), distance_m)]
        self._numbers += 1
        alert = _Alert(self._numbers, now, {source})
        self.open_alerts[alert.number] = self.last_alert = alert
        return [Action("alert", alert.number, now, (source,), distance_m)]

    def leave(self, source: str, now: float) -> list[Action]:
        was_occupied = bool(self.occupied_by)
        self.occupied_by.discard(source)
        if was_occupied and not self.occupied_by:
            self.empty_since = now
        return self.tick(now)

    def confirm(self, number: int) -> bool:
        """Staff pressed "greeted". False if that alert is not open any more."""
        alert = self.open_alerts.pop(number, None)
        if alert is None:
            return False
        alert.confirmed = True
        return True

    def tick(self, now: float) -> list[Action]:
        out: list[Action] = []
        for alert in list(self.open_alerts.values()):
            if alert.escalated:
                continue
            due = alert.raised_at + (alert.repeats + 1) * self.policy.repeat_s
            if now >= due:
                if alert.repeats < self.policy.max_repeats:
                    alert.repeats += 1
                    out.append(Action("repeat", alert.number, now, repeat=alert.repeats))
                else:
                    alert.escalated = True
                    out.append(Action("escalate", alert.number, now))
        if (not self.armed and not self.occupied_by and self.empty_since is not None
                and now - self.empty_since >= self.policy.rearm_after_s):
            self.armed = True
        return out
