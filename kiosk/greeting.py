"""Stand up and greet: the seeds' rules as a state machine (001 第三篇 三.3; 002 表情语言; 003 3.2.3).

Greet a customer at about three metres; stand up when a customer enters the hall; answer
within three rings. Fed by presence events from any number of sensors, it decides when to
alert, repeat and escalate. Pure: no I/O, times come in as arguments, and every call returns
the actions to carry out (the Greeter applies them through the engine).

Arrivals, not occupancy: a customer sitting at the desk is inside the zone by definition, so
"someone is in the zone" says nothing about whether someone *new* came in. Each source says:
- with a count (camera tracks, a door's openings, a people counter on the API): how many it
  sees now; a count that rises is that many new arrivals, whoever else is still there;
- without a count (PIR, ultrasonic, radar: occupancy only): ENTER is empty -> occupied, one
  arrival, unless the same source was empty for less than `rearm_after_s` (the same person
  stepping out of its beam and back).

- Every arrival raises an alert and has its own log row; arrivals within `group_window_s` of an
  alert join it (a family is one alert, a row per person). Two sensors seeing the same people
  are not more people: a group has as many rows as the sensor that saw the most of it counted.
- Unconfirmed, the alert repeats every `repeat_s`, at most `max_repeats` times (three rings),
  then escalates to every counter and the manager.
- A source that faults drops out of the zone at once (as if it had reported empty) and comes
  back when it reports again. An occupancy-only source that reports "occupied" without a break
  for `stuck_after_s`, and a door that opens more than `flap_limit` times a minute, are flagged
  to staff and left out until they behave.
- Outside opening hours there are no alerts (the arrivals are still counted).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

FLAP_WINDOW_S = 60.0


@dataclass(frozen=True)
class GreetingPolicy:
    group_window_s: float = 8.0
    repeat_s: float = 10.0
    max_repeats: int = 3
    rearm_after_s: float = 5.0
    stuck_after_s: float = 1800.0
    flap_limit: int = 20  # door openings in a minute that no hall sees


@dataclass(frozen=True)
class Action:
    # "alert" | "joined" (one more person in that alert's group: a row of its own) | "join" (another
    # sensor saw the same arrival) | "repeat" | "escalate" | "arrival_quiet" | "flag" | "unflag"
    kind: str
    alert: int | None = None  # the machine's alert number (the Greeter maps it to a stored id)
    at: float = 0.0
    sources: tuple[str, ...] = ()
    distance_m: float | None = None
    repeat: int = 0
    detail: str = ""  # flag / unflag: what staff are told
    state: str = ""  # flag: "stuck" | "flapping"; unflag: "recovered"


@dataclass
class _Alert:
    number: int
    raised_at: float
    sources: set[str]
    seen: dict[str, int] = field(default_factory=dict)  # arrivals each sensor counted in this group
    people: int = 1  # rows logged for the group
    repeats: int = 0
    escalated: bool = False
    confirmed: bool = False


@dataclass
class _Source:
    count: int = 0  # people it sees now (occupancy-only: 0 or 1)
    counting: bool = False  # it reports counts
    kind: str = ""  # "door", "pir", ... when known (stuck and flapping rules)
    occupied_since: float | None = None
    empty_since: float | None = None  # None: never occupied (armed)
    faulty: bool = False  # out of the zone until it reports again
    flag: str = ""  # "stuck" / "flapping": out until it behaves
    openings: deque[float] = field(default_factory=deque)


@dataclass
class GreetingMachine:
    policy: GreetingPolicy = field(default_factory=GreetingPolicy)
    kinds: dict[str, str] = field(default_factory=dict)  # source name -> sensor kind, when known
    sources: dict[str, _Source] = field(default_factory=dict)
    open_alerts: dict[int, _Alert] = field(default_factory=dict)
    last_alert: _Alert | None = None
    _numbers: int = 0

    def _source(self, name: str) -> _Source:
        if name not in self.sources:
            self.sources[name] = _Source(kind=self.kinds.get(name, ""))
        return self.sources[name]

    @property
    def occupied_by(self) -> set[str]:
        return {n for n, s in self.sources.items() if s.count and not s.faulty and not s.flag}

    # ------------------------------------------------------------ what sensors say
    def enter(
        self, source: str, now: float, in_hours: bool, distance_m: float | None = None, count: int | None = None
    ) -> list[Action]:
        s = self._source(source)
        out: list[Action] = []
        if s.faulty:  # reporting again: it rejoins the zone
            s.faulty = False
        if s.kind == "door":
            out += self._watch_door(source, s, now)
        if s.flag:
            return out  # stuck or flapping: its reports do not count
        if count is not None:
            s.counting = True
            arrivals = max(0, count - s.count)
            s.count = count
        else:
            rearmed = s.count == 0 and (s.empty_since is None or now - s.empty_since >= self.policy.rearm_after_s)
            arrivals = 1 if rearmed else 0
            s.count = 1
        if s.count and s.occupied_since is None:
            s.occupied_since = now
        if s.count:
            s.empty_since = None
        return out + self._arrive(source, now, in_hours, distance_m, arrivals)

    def leave(self, source: str, now: float, count: int | None = None) -> list[Action]:
        s = self._source(source)
        was = s.count
        s.count = max(0, count or 0) if count is not None else 0
        if s.count == 0:
            if was:
                s.empty_since = now
            s.occupied_since = None
            if s.flag == "stuck":  # it let go: trust it again
                s.flag = ""
                return [
                    Action("unflag", at=now, sources=(source,), detail="reports normally again", state="recovered")
                ] + self.tick(now)
        return self.tick(now)

    def fault(self, source: str, now: float) -> None:
        """A faulted, stale, stopped or crashed source: out of the zone at once."""
        s = self._source(source)
        s.faulty = True
        if s.count:
            s.empty_since = now
        s.count, s.occupied_since = 0, None

    def _arrive(self, source: str, now: float, in_hours: bool, distance_m: float | None, arrivals: int) -> list[Action]:
        last = self.last_alert
        if last is not None and now - last.raised_at <= self.policy.group_window_s:
            out: list[Action] = []
            if last.number and source not in last.sources:
                last.sources.add(source)
                out.append(Action("join", last.number, now, (source,), distance_m))
            last.seen[source] = last.seen.get(source, 0) + arrivals
            kind = "joined" if last.number else "arrival_quiet"
            while last.people < max(last.seen.values()):  # someone more in the group: a row each
                last.people += 1
                out.append(Action(kind, last.number or None, now, (source,), distance_m))
            return out
        if arrivals == 0:
            return []  # the same person as before
        if not in_hours:
            # a group outside hours is counted too, a row per person
            self.last_alert = _Alert(0, now, {source}, seen={source: arrivals}, people=arrivals)
            return [Action("arrival_quiet", None, now, (source,), distance_m)] * arrivals
        self._numbers += 1
        alert = _Alert(self._numbers, now, {source}, seen={source: arrivals}, people=arrivals)
        self.open_alerts[alert.number] = self.last_alert = alert
        return [Action("alert", alert.number, now, (source,), distance_m)] + [
            Action("joined", alert.number, now, (source,), distance_m)
        ] * (arrivals - 1)

    def _watch_door(self, source: str, s: _Source, now: float) -> list[Action]:
        s.openings.append(now)
        while s.openings and now - s.openings[0] > FLAP_WINDOW_S:
            s.openings.popleft()
        if not s.flag and len(s.openings) > self.policy.flap_limit:
            s.flag, s.count, s.occupied_since = "flapping", 0, None
            return [
                Action(
                    "flag",
                    at=now,
                    sources=(source,),
                    state="flapping",
                    detail=f"opened {len(s.openings)} times in a minute: a loose magnet or a door "
                    "left swinging? Its openings are ignored until it is quiet",
                )
            ]
        return []

    # ------------------------------------------------------------ staff and time
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
        for name, s in self.sources.items():
            occupancy_only = not s.counting or s.kind == "door"
            if (
                occupancy_only
                and not s.flag
                and s.occupied_since is not None
                and now - s.occupied_since >= self.policy.stuck_after_s
            ):
                s.flag, s.count, s.occupied_since = "stuck", 0, None
                out.append(
                    Action(
                        "flag",
                        at=now,
                        sources=(name,),
                        state="stuck",
                        detail=f"has reported someone in the zone for {self.policy.stuck_after_s / 60:.0f} "
                        "min without a break: stuck? It is ignored until it reports empty",
                    )
                )
            if s.flag == "flapping" and (not s.openings or now - s.openings[-1] > FLAP_WINDOW_S):
                s.flag = ""
                s.openings.clear()
                out.append(Action("unflag", at=now, sources=(name,), detail="quiet again", state="recovered"))
        return out
