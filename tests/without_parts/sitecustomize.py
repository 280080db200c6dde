"""Makes this Python behave as a machine installed without some parts: with this folder on
PYTHONPATH, every module named in $KIOSK_TEST_WITHOUT (comma-separated top-level names) is
missing, as if never installed, and each attempt to import one is written to
$KIOSK_TEST_WITHOUT_LOG. tests/test_roles.py runs `kiosk serve` this way."""

import os
import sys

_BLOCKED = {m for m in os.environ.get("KIOSK_TEST_WITHOUT", "").split(",") if m}
_LOG = os.environ.get("KIOSK_TEST_WITHOUT_LOG")


class _NotInstalled:
    @staticmethod
    def find_spec(name, path=None, target=None):
        top = name.split(".")[0]
        if top not in _BLOCKED:
            return None
        if _LOG:
            with open(_LOG, "a", encoding="utf-8") as f:
                f.write(name + "\n")
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)


if _BLOCKED:
    sys.meta_path.insert(0, _NotInstalled())
