"""Child process for test_crash: issues tickets forever on the SQLite file given, printing
each one only after issue() returned (= the kiosk was told the ticket exists)."""

import sys

from kiosk.engine import Engine
from kiosk.store import Store, sqlite_url
from tests.helpers import always_open_config

engine = Engine(always_open_config(), Store(sqlite_url(sys.argv[1])))
engine.setup()
i = 0
while True:
    t = engine.issue(("general", "payment")[i % 2]).ticket
    print(t.id, t.business_day, t.number, flush=True)
    i += 1
