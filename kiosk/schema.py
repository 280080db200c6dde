"""Tables, as SQLAlchemy Core metadata. The Alembic migrations build exactly this
(tests/test_store.py compares them).

Times are POSIX seconds in floating point: the same arithmetic in SQLite and PostgreSQL, and
cheap to aggregate over a million rows. Local calendar facts a report groups by (business day,
hour of issue) are stored with the ticket, computed once in the site's time zone.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

# One row per branch. Every write transaction locks it first: it serialises call-next (so two
# counters never get one ticket, and a counter never sees an empty queue because another holds
# row locks) and numbers the branch's events without gaps, in commit order.
branches = Table(
    "branches",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("last_event_seq", Integer, nullable=False, default=0),
)

# The day's last number per prefix. Part of the same transaction as the ticket it numbers, so a
# number is never handed out twice, not even after a power cut.
day_numbers = Table(
    "day_numbers",
    metadata,
    Column("branch", String(64), primary_key=True),
    Column("business_day", String(10), primary_key=True),
    Column("prefix", String(4), primary_key=True),
    Column("last_number", Integer, nullable=False),
)

# The waiting-time log: one row per ticket with every timestamp.
tickets = Table(
    "tickets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch", String(64), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("issued_hour", Integer, nullable=False),
    Column("number", String(12), nullable=False),
    Column("service", String(64), nullable=False),
    Column("original_service", String(64), nullable=False),
    Column("priority", Boolean, nullable=False, default=False),
    Column("state", String(16), nullable=False),
    Column("queue_time", Float, nullable=False),
    Column("issued_at", Float, nullable=False),
    Column("first_called_at", Float),
    Column("called_at", Float),
    Column("started_at", Float),
    Column("finished_at", Float),
    Column("counter_id", Integer),
    Column("owner_counter_id", Integer),
    Column("transfers", Integer, nullable=False, default=0),
    Column("recalls", Integer, nullable=False, default=0),
    Column("priority_run", Integer, nullable=False, default=0),
    Column("overtaken", Integer, nullable=False, default=0),
    Column("target_wait_s", Float, nullable=False),
    Column("estimated_wait_s", Float),
    Column("ahead_at_issue", Integer, nullable=False, default=0),
    Column("status_token", String(43), nullable=False, unique=True),
    Column("call_reason", String(16)),
    Column("issued_by", String(64)),  # the kiosk whose printer prints (and reprints) it
    Column("language", String(8)),  # the customer's language at the kiosk
    Column("reprints", Integer, nullable=False, default=0, server_default="0"),
    Column("reprinted_at", Float),  # the last reprint: a kiosk's are limited, a double tap is one receipt
    Column("alerts_at", Float),  # the customer asked their phone to alert them (the status page)
    # the reception log (seed 001 第三篇 四: 登記, 分類, 回覆): what the visit was about and how it ended
    Column("category", String(32)),
    Column("outcome", String(16)),  # "resolved" at the counter, or "follow_up" promised
    Column("called_by", String(32)),  # the staff member signed in at the counter that called it
    Column("finished_by", String(32)),
    Column("returns", Integer, nullable=False, default=0, server_default="0"),  # brought back after a no-show
    Column("call_note", Text),  # why staff called this number out of turn
    # a booked appointment checked in: its booked time, which is also its place in line
    # (queue_time); it may go before walk-ins from then on, boundedly (kiosk/fairness.py)
    Column("appointment_at", Float),
    # the range the customer was quoted around estimated_wait_s: the report says how often the
    # wait fell inside it (kiosk/estimate.py)
    Column("estimate_low_s", Float),
    Column("estimate_high_s", Float),
    # the model's own figure before the correction by recent errors: the errors are measured
    # against it, so a correction never feeds on itself
    Column("estimate_model_s", Float),
    UniqueConstraint("branch", "business_day", "number", name="uq_ticket_number_per_day"),
)
# "people ahead" counts today's line only (kiosk/statements.py): the business day in the index
# keeps that count reading the index alone
Index(
    "ix_tickets_waiting",
    tickets.c.branch,
    tickets.c.state,
    tickets.c.service,
    tickets.c.business_day,
    tickets.c.queue_time,
)
Index("ix_tickets_day", tickets.c.branch, tickets.c.business_day)
# call-next reads the head of each service's line, its priority tickets and the normal tickets
# held back by priority calls (kiosk/line.py): none of it grows with the line
Index(
    "ix_tickets_line",
    tickets.c.branch,
    tickets.c.state,
    tickets.c.service,
    tickets.c.priority,
    tickets.c.queue_time,
    tickets.c.id,
)
# the service's latest called tickets, whose errors set a new ticket's quoted range (kiosk/estimate.py)
Index("ix_tickets_called", tickets.c.branch, tickets.c.service, tickets.c.priority, tickets.c.first_called_at)
Index("ix_tickets_runs", tickets.c.branch, tickets.c.state, tickets.c.service, tickets.c.priority_run)
# the checked-in appointments in a line (kiosk/line.py): without it call-next read every waiting
# ticket of the service to find them (0.27 ms at 2,000 waiting)
Index("ix_tickets_booked", tickets.c.branch, tickets.c.state, tickets.c.service, tickets.c.appointment_at)
# a service's last service times, newest first (statements.estimate_inputs): without it every new
# ticket sorted every ticket ever finished (0.3 ms at 1,000, growing each day the store is kept)
Index("ix_tickets_finished", tickets.c.branch, tickets.c.state, tickets.c.service, tickets.c.finished_at)

# Runtime state of the configured counters.
counters = Table(
    "counters",
    metadata,
    Column("branch", String(64), primary_key=True),
    Column("id", Integer, primary_key=True),
    Column("state", String(16), nullable=False),
    Column("current_ticket_id", Integer),
    Column("pause_reason", Text),
    Column("pause_until", Float),
    Column("updated_at", Float, nullable=False),
    Column("services", Text),  # comma-separated, set by a manager during the day; NULL: as configured
    Column("staff_id", String(32)),  # who is signed in at it
    Column("staff_since", Float),
)

# Every state change, in order. Screens and servers resume "after seq N".
events = Table(
    "events",
    metadata,
    Column("branch", String(64), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", Float, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("data", JSON, nullable=False),
)

# First answer to each idempotency key, so a retried request returns it instead of acting twice.
idempotency = Table(
    "idempotency",
    metadata,
    Column("branch", String(64), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("scope", String(64), nullable=False),
    Column("response", JSON, nullable=False),
    Column("created_at", Float, nullable=False),
)

# The greeting log: one row per arrival in the zone (seed 003: every visit logged).
greetings = Table(
    "greetings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch", String(64), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("arrival_at", Float, nullable=False),
    Column("alerted", Boolean, nullable=False),  # false: outside opening hours
    Column("sources", String(200), nullable=False),
    Column("distance_m", Float),
    Column("repeats", Integer, nullable=False, default=0),
    Column("escalated_at", Float),
    Column("confirmed_at", Float),
    Column("confirmed_by", Integer),  # counter id
    Column("joined_to", Integer),  # one more person of a group: the alert's row (greeted with it)
)
Index("ix_greetings_day", greetings.c.branch, greetings.c.business_day)

# A matter promised a reply (seed 001: 限時回覆, 首問負責). Owned by the counter that first took
# the matter, even after a transfer. The customer's contact is kept only until it is replied
# plus the retention time, then erased.
text_requests = Table(
    "text_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch", String(64), nullable=False),
    Column("ticket_id", Integer, nullable=False),
    Column("phone", String(20), nullable=False),  # erased when the ticket ends; never on the event stream
    Column("asked_at", Float, nullable=False),
    Column("near_sent_at", Float),  # "A012: 3 ahead" sent
    Column("called_sent_at", Float),  # "A012: counter 3" sent
    UniqueConstraint("branch", "ticket_id", name="uq_text_request_per_ticket"),
)


follow_ups = Table(
    "follow_ups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch", String(64), nullable=False),
    Column("ticket_id", Integer),  # the visit it came from; None: a call, letter or e-mail (contact_id)
    Column("number", String(12), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("category", String(32), nullable=False),
    Column("complaint", Boolean, nullable=False),
    Column("owner_counter_id", Integer, nullable=False),
    Column("opened_by", String(32)),
    Column("opened_at", Float, nullable=False),
    Column("due_at", Float, nullable=False),
    Column("note", Text, nullable=False),
    Column("contact", Text),
    Column("state", String(16), nullable=False),  # "open" or "replied"
    Column("replied_at", Float),
    Column("replied_by", String(32)),
    Column("reply_method", String(16)),  # phone, visit, letter, email
    Column("reply_note", Text),
    Column("reopened", Integer, nullable=False, default=0),
    Column("overdue_alerted_at", Float),
    UniqueConstraint("branch", "ticket_id", name="uq_follow_up_per_ticket"),
    Column("contact_id", Integer),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch", String(64), nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("at", Float, nullable=False),
    Column("channel", String(16), nullable=False),  # phone, letter, email, visit
    Column("kind", String(32), nullable=False),  # a category's code, or "praise"
    Column("note", Text, nullable=False),
    Column("counter_id", Integer),
    Column("taken_by", String(32)),  # the staff member who took it
    Column("follow_up_id", Integer),
    Index("ix_contacts_day", "branch", "business_day"),
)
Index("ix_follow_ups_state", follow_ups.c.branch, follow_ups.c.state, follow_ups.c.due_at)
Index("ix_follow_ups_day", follow_ups.c.branch, follow_ups.c.business_day)


# Wrong PINs in a row per person (or per screen's PIN pad), shared by every server process and
# kept across restarts: five tries a minute in all, not five per process.
pin_failures = Table(
    "pin_failures",
    metadata,
    Column("branch", String(64), primary_key=True),
    Column("subject", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("locked_until", Float, nullable=False),
)


# /healthz writes fresh bytes here each time: a rewrite of an unchanged value fits in pages the
# database already has and succeeded on a full disk while every ticket failed.
health_probes = Table(
    "health_probes",
    metadata,
    Column("branch", String(64), primary_key=True),
    Column("at", Float, nullable=False),
    Column("pad", LargeBinary, nullable=False),
)


# A manager signed in to the web manager view (/manage): the cookie holds a random secret, the
# store only its hash, so a copy of the database opens no session. In the store, not in one
# process's memory: every server process behind the hall's address knows the session.
manager_sessions = Table(
    "manager_sessions",
    metadata,
    Column("secret_hash", String(64), primary_key=True),
    Column("branch", String(64), nullable=False),
    Column("staff_id", String(32), nullable=False),  # "" for the site PIN of a hall without staff
    Column("name", String(40), nullable=False),
    Column("csrf", String(64), nullable=False),  # every form and action must carry it back
    Column("created_at", Float, nullable=False),
    Column("seen_at", Float, nullable=False),  # idle sessions end (kiosk/engine/sessions.py)
)


# The screens, kiosks and sensors that call the server: when each was last heard from, what
# version it runs and how far its clock is from the server's (the hall's health page).
devices_seen = Table(
    "devices_seen",
    metadata,
    Column("branch", String(64), primary_key=True),
    Column("device", String(80), primary_key=True),  # the token's name
    Column("role", String(16), nullable=False),
    Column("address", String(64), nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("version", String(40), nullable=False),
    Column("clock_offset_s", Float),  # the device's clock minus the server's; None: not told
)


# Each `kiosk backup` that succeeded: the hall's health page says when the last one was.
backups = Table(
    "backups",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Column("file", Text, nullable=False),
    Column("tickets", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
)

# Booked appointments (kiosk/engine/appointments.py). The name and phone are kept only until the
# day's end plus `appointments.keep_personal_days`; they never go on the event stream or a display.
appointments = Table(
    "appointments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("branch", String(64), nullable=False),
    Column("ref", String(16), nullable=False),  # the reference the customer types or scans
    Column("service", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Column("business_day", String(10), nullable=False),
    Column("early_s", Float, nullable=False),  # check-in opens this long before `at`
    Column("late_s", Float, nullable=False),  # and closes this long after it
    Column("name", String(80)),
    Column("phone", String(32)),
    Column("state", String(16), nullable=False),  # booked, checked_in, late, cancelled
    Column("ticket_id", Integer),
    Column("checked_in_at", Float),
    Column("created_at", Float, nullable=False),
    Column("source", String(16), nullable=False),  # import, api, manager
    UniqueConstraint("branch", "ref", name="uq_appointment_ref"),
)
Index("ix_appointments_day", appointments.c.branch, appointments.c.business_day, appointments.c.service)
