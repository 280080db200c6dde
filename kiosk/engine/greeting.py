"""The stand-and-greet log and device alerts: arrivals, repeats, escalations, confirmations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from kiosk import schema
from kiosk.domain import CounterState
from kiosk.engine.errors import QueueError
from kiosk.engine.ledger import Ledger, OpResult
from kiosk.events import DeviceAlert, EventKind, GreetAlert, GreetConfirmed, GreetEscalated, GreetRepeat

T = schema.tickets
C = schema.counters


class GreetingLog:
    """The stand-and-greet log and device alerts: arrivals, repeats, escalations, confirmations."""

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    # ------------------------------------------------------------------ greeting
    def greet_arrival(self, at: float, sources: tuple[str, ...], distance_m: float | None, alerted: bool) -> int:
        """Log an arrival in the zone; if `alerted`, raise the stand-and-greet alert to the open
        counters (the Greeter decides; see kiosk/greeting.py)."""

        def op(conn: Connection, now: float) -> OpResult:
            gid = self._greeting_row(conn, at, sources, distance_m, alerted=alerted)
            if not alerted:
                return {"id": gid}, []
            open_counters = (
                conn.execute(
                    select(C.c.id).where(C.c.branch == self.ledger.branch, C.c.state == CounterState.OPEN.value)
                )
                .scalars()
                .all()
            )
            return {"id": gid}, [
                (
                    EventKind.GREET_ALERT,
                    GreetAlert(
                        alert_id=gid,
                        arrival_at=at,
                        sources=list(sources),
                        distance_m=distance_m,
                        counters=sorted(open_counters),
                    ),
                )
            ]

        return int(self.ledger.mutate("greet-arrival", None, op)["id"])

    def greet_joined(self, alert_id: int, at: float, sources: tuple[str, ...], distance_m: float | None) -> None:
        """One more person of a group that already has an alert: a log row of their own, greeted
        when the group is (already, if staff confirmed before they came in)."""
        G = schema.greetings

        def op(conn: Connection, now: float) -> OpResult:
            alert = conn.execute(select(G.c.confirmed_at, G.c.confirmed_by).where(G.c.id == alert_id)).first()
            greeted = alert is not None and alert.confirmed_at is not None
            self._greeting_row(
                conn,
                at,
                sources,
                distance_m,
                alerted=True,
                joined_to=alert_id,
                confirmed_at=max(at, alert.confirmed_at) if greeted and alert else None,
                confirmed_by=alert.confirmed_by if greeted and alert else None,
            )
            return {}, []

        self.ledger.mutate("greet-joined", None, op)

    def _greeting_row(
        self, conn: Connection, at: float, sources: tuple[str, ...], distance_m: float | None, **values: Any
    ) -> int:
        G = schema.greetings
        return int(
            conn.execute(
                G.insert()
                .returning(G.c.id)
                .values(
                    branch=self.ledger.branch,
                    business_day=self.ledger.local(at).date().isoformat(),
                    arrival_at=at,
                    sources=",".join(sources),
                    distance_m=distance_m,
                    repeats=0,
                    **values,
                )
            ).scalar_one()
        )

    def greet_join(self, alert_id: int, source: str) -> None:
        """Another sensor saw the same arrival (or the rest of the group): same alert."""
        G = schema.greetings

        def op(conn: Connection, now: float) -> OpResult:
            row = conn.execute(select(G.c.sources).where(G.c.id == alert_id)).first()
            if row is not None and source not in row.sources.split(","):
                conn.execute(update(G).where(G.c.id == alert_id).values(sources=f"{row.sources},{source}"))
            return {}, []

        self.ledger.mutate("greet-join", None, op)

    def greet_repeat(self, alert_id: int, repeat: int) -> None:
        G = schema.greetings

        def op(conn: Connection, now: float) -> OpResult:
            conn.execute(update(G).where(G.c.id == alert_id).values(repeats=repeat))
            return {}, [(EventKind.GREET_REPEAT, GreetRepeat(alert_id=alert_id, repeat=repeat))]

        self.ledger.mutate("greet-repeat", None, op)

    def greet_escalate(self, alert_id: int) -> None:
        """Nobody confirmed after the repeats: every counter, paused ones too, and the manager."""
        G = schema.greetings

        def op(conn: Connection, now: float) -> OpResult:
            group = (G.c.id == alert_id) | (G.c.joined_to == alert_id)
            conn.execute(update(G).where(group).values(escalated_at=now))
            return {}, [
                (
                    EventKind.GREET_ESCALATED,
                    GreetEscalated(alert_id=alert_id, counters=sorted(self.ledger.counter_info), manager=True),
                )
            ]

        self.ledger.mutate("greet-escalate", None, op)

    def confirm_greeting(self, alert_id: int, counter_id: int, key: str | None = None) -> dict[str, Any]:
        """A counter pressed "greeted". The first confirmation counts; a later one gets its answer."""
        self.ledger.counter(counter_id)
        G = schema.greetings

        def op(conn: Connection, now: float) -> OpResult:
            row = conn.execute(select(G).where(G.c.id == alert_id, G.c.branch == self.ledger.branch)).first()
            if row is None or not row.alerted:
                raise QueueError("not_found", f"no greeting alert {alert_id}")
            if row.confirmed_at is not None:
                return {
                    "alert_id": alert_id,
                    "confirmed_by": row.confirmed_by,
                    "confirmed_at": row.confirmed_at,
                    "latency_s": row.confirmed_at - row.arrival_at,
                }, []
            group = ((G.c.id == alert_id) | (G.c.joined_to == alert_id)) & G.c.confirmed_at.is_(None)
            conn.execute(update(G).where(group).values(confirmed_at=now, confirmed_by=counter_id))
            data = GreetConfirmed(
                alert_id=alert_id, confirmed_by=counter_id, confirmed_at=now, latency_s=now - row.arrival_at
            )
            return dict(data), [(EventKind.GREET_CONFIRMED, data)]

        return self.ledger.mutate(f"greet-confirm:{alert_id}", key, op)

    def open_greetings(self, max_age_s: float = 600) -> list[dict[str, Any]]:
        """Alerts nobody has confirmed yet (newest first), for a panel that starts mid-alert."""
        G = schema.greetings
        since = self.ledger.clock.now() - max_age_s
        with self.ledger.store.read() as conn:
            rows = (
                conn.execute(
                    select(G)
                    .where(
                        G.c.branch == self.ledger.branch,
                        G.c.alerted.is_(True),
                        G.c.joined_to.is_(None),  # the group's alert, not each of its people
                        G.c.confirmed_at.is_(None),
                        G.c.arrival_at >= since,
                    )
                    .order_by(G.c.arrival_at.desc())
                )
                .mappings()
                .all()
            )
        return [
            {
                "alert_id": r["id"],
                "arrival_at": r["arrival_at"],
                "repeats": r["repeats"],
                "escalated": r["escalated_at"] is not None,
            }
            for r in rows
        ]

    def device_alert(
        self, device: str, state: str, message: str, *, ticket: str | None = None, kind: str = "device"
    ) -> None:
        """Tell staff a device needs them (printer out of paper, sensor silent), or that it works
        again (state "ready"). Logged as an event like any other, so every counter panel and the
        manager view see it. `kind` "printer" and `ticket` let a screen say it in its language."""

        def op(conn: Connection, now: float) -> OpResult:
            data = DeviceAlert(device=device, kind=kind, state=state, message=message, ticket=ticket)
            return dict(data), [(EventKind.DEVICE_ALERT, data)]

        self.ledger.mutate("device-alert", None, op)
