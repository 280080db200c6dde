#!/usr/bin/env bash
# Tries the install on a Raspberry Pi's operating system without a Pi: builds arm64 Debian roots
# (Bookworm, the base of Raspberry Pi OS 12, and Trixie, of Raspberry Pi OS 13) with debootstrap
# and runs them under qemu-user through binfmt_misc. Inside each, as a new user would:
#   1. the README's first command (./install.sh && .venv/bin/kiosk demo)
#   2. sudo deploy/install-pi.sh kiosk, with systemctl and udevadm replaced by recorders; the
#      units it enabled are checked by that release's own systemd-analyze verify
#   3. kiosk snapshot of every screen (PNGs copied out to look at)
#   4. kiosk check-hardware with gpiozero's mock pins (door switch, PIR, call button, buzzer, light)
#   5. pip check in both virtual environments
# Prints a summary and exits non-zero on any failure.
#   sudo deploy/check-arm64.sh [bookworm] [trixie]      (default: both)
# Environment: KIOSK_ARM64_CACHE (base roots, default /var/cache/front-desk-kiosk-arm64),
# KIOSK_ARM64_OUT (logs and PNGs, default ./arm64-check), KIOSK_ARM64_MIRROR (default: the
# Debian mirror this machine's apt already uses). Takes 30-60 min per release on 2 cores.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
suites=("$@"); [ ${#suites[@]} -gt 0 ] || suites=(bookworm trixie)
cache="${KIOSK_ARM64_CACHE:-/var/cache/front-desk-kiosk-arm64}"
out="$(mkdir -p "${KIOSK_ARM64_OUT:-$PWD/arm64-check}" && cd "${KIOSK_ARM64_OUT:-$PWD/arm64-check}" && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "check-arm64.sh: run as root (debootstrap and chroot need it)" >&2; exit 2; }

# --- the host: debootstrap, qemu-user and binfmt_misc --------------------------------------
need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
[ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || [ -e /usr/bin/qemu-aarch64-static ] || need+=(qemu-user-static)
command -v update-binfmts >/dev/null || need+=(binfmt-support)

command -v rsync >/dev/null || need+=(rsync)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" \
    || { echo "check-arm64.sh: could not install ${need[*]}" >&2; exit 2; }
fi
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
    || { echo "check-arm64.sh: binfmt_misc cannot be mounted here (a container without it cannot run arm64 binaries)" >&2; exit 2; }
fi
[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
grep -q enabled /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null \
  || { echo "check-arm64.sh: qemu-aarch64 is not registered with binfmt_misc" >&2; exit 2; }

mirror="${KIOSK_ARM64_MIRROR:-}"
if [ -z "$mirror" ]; then   # the mirror this machine's apt uses, so the check needs no host of its own
  mirror="$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/{print $2}' | grep -v security | head -1)"
  [ -n "$mirror" ] || mirror="$(awk '/^deb /{print $2}' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1)"
fi
[ -n "$mirror" ] || { echo "check-arm64.sh: no Debian mirror found in apt's sources; set KIOSK_ARM64_MIRROR" >&2; exit 2; }

declare -A result took
failed=0
mounted=()
cleanup() { for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null; done; mounted=(); }
trap cleanup EXIT

# step SUITE NAME COMMAND...: runs one step, its output to $out/SUITE/NAME.log, records ok/FAIL
step() {
  local suite="$1" name="$2"; shift 2
  local t0=$SECONDS
  echo "[$suite] $name ..."
  if "$@" >"$out/$suite/$name.log" 2>&1; then result[$suite.$name]=ok; else result[$suite.$name]=FAIL; failed=1
    echo "[$suite] $name FAILED; last lines of $out/$suite/$name.log:"; tail -15 "$out/$suite/$name.log" | sed 's/^/    /'
  fi
  took[$suite.$name]=$((SECONDS - t0))
}
in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen /bin/bash -c "$1"; }

base_root() {   # one debootstrap per release, kept in the cache; every check starts from a copy of it
  local suite="$1" base="$cache/$suite"
  if [ ! -f "$base/.complete" ]; then
    rm -rf "$base"; mkdir -p "$cache"
    debootstrap --arch=arm64 --variant=minbase --include=ca-certificates,python3,sudo "$suite" "$base" "$mirror" \
      && touch "$base/.complete" || return 1
  fi
  # what Raspberry Pi OS Lite has besides a minimal Debian: systemd (its units, systemd-inhibit)
  if [ ! -x "$base/usr/bin/systemd-inhibit" ]; then
    cp /etc/resolv.conf "$base/etc/resolv.conf"
    chroot "$base" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
      /bin/bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends systemd" || return 1
  fi
}

fresh_root() {
  local suite="$1"
  rm -rf "$root"; cp -a "$cache/$suite" "$root" || return 1
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # the certificate authorities this machine added (a proxy in front of the package index, say)
  # are trusted inside too, as they would be on a Pi in the same network
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    in_root "update-ca-certificates >/dev/null" || return 1
  fi
  for m in proc sys dev dev/pts; do
    mkdir -p "$root/$m"; mount --bind "/$m" "$root/$m" && mounted+=("$root/$m")
  done
  # recorders: the root has no running systemd or udev; what install-pi.sh asks of them is written down
  for tool in systemctl udevadm; do
    printf '#!/bin/sh\necho "%s $*" >> /var/log/recorded-calls\n' "$tool" > "$root/usr/local/sbin/$tool"
    chmod 0755 "$root/usr/local/sbin/$tool"
  done
  mkdir -p "$root/home/pi/front-desk-kiosk"
  # the working tree as git sees it (tracked and new files, nothing ignored): what a clone would hold
  (cd "$here" && git ls-files -z --cached --others --exclude-standard | rsync -a --from0 --files-from=- ./ "$root/home/pi/front-desk-kiosk/")
}

units_verified() {   # the units install-pi.sh enabled, verified against the root they were installed in
  local enabled
  enabled=$(awk '$1=="systemctl" && $2=="enable" {for (i=3;i<=NF;i++) if ($i ~ /\.service$/) print $i}' "$root/var/log/recorded-calls")
  echo "recorded calls:"; cat "$root/var/log/recorded-calls"
  [ -n "$enabled" ] || { echo "install-pi.sh enabled no unit"; return 1; }
  grep -qx "kiosk-server.service" <<<"$enabled" && grep -qx "kiosk-screen.service" <<<"$enabled" \
    || { echo "expected kiosk-server.service and kiosk-screen.service to be enabled, got: $enabled"; return 1; }
  [ -f "$root/etc/udev/rules.d/99-front-desk-kiosk.rules" ] || { echo "the udev rule was not installed"; return 1; }
  local units=""
  for u in $enabled; do units+=" /etc/systemd/system/$u"; done
  # the release's own systemd-analyze, inside the root: it knows that release's unit keys and
  # checks that every ExecStart= binary (cage, systemd-inhibit, the kiosk) is really there
  local res; res=$(in_root "SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no$units" 2>&1); local rc=$?
  echo "systemd-analyze verify$units: exit $rc"; echo "$res"
  [ $rc -eq 0 ] && ! grep -E "kiosk-(server|screen|display)\.service" <<<"$res"
}

snapshots() {
  local s
  for s in kiosk counter display manager; do
    in_root "cd /home/pi/front-desk-kiosk && .venv/bin/kiosk snapshot $s --size 1024x600 --out /tmp/$s.png" || return 1
    cp "$root/tmp/$s.png" "$out/$suite/$s.png" || return 1
    echo "$s: $(stat -c %s "$out/$suite/$s.png") bytes -> $out/$suite/$s.png"
  done
}

hardware_with_mock_pins() {
  in_root 'cd /home/pi/front-desk-kiosk && cfg=/tmp/hw.toml && .venv/bin/kiosk init-config --out $cfg >/dev/null && cat >> $cfg <<EOF

[[sensors]]
kind = "door"
name = "front door"
pin = 17

[[sensors]]
kind = "pir"
name = "entrance PIR"
pin = 27

[[counter_devices]]
counter = 1
call_button_pin = 5
buzzer_pin = 6
light_pin = 13
EOF
GPIOZERO_PIN_FACTORY=mock .venv/bin/kiosk check-hardware --config $cfg --listen 0.5'
}

for suite in "${suites[@]}"; do
  root="$cache/$suite-check"
  mkdir -p "$out/$suite"; rm -f "$out/$suite"/*.log "$out/$suite"/*.png
  t_suite=$SECONDS
  step "$suite" debootstrap base_root "$suite"
  [ "${result[$suite.debootstrap]}" = ok ] || continue
  step "$suite" fresh-root fresh_root "$suite"
  step "$suite" readme-first-command in_root 'cd /home/pi/front-desk-kiosk && ./install.sh && .venv/bin/kiosk demo'
  step "$suite" install-pi in_root 'cd /home/pi/front-desk-kiosk && deploy/install-pi.sh kiosk'
  step "$suite" units-verify units_verified
  step "$suite" snapshots snapshots
  step "$suite" check-hardware hardware_with_mock_pins
  step "$suite" pip-check in_root '/home/pi/front-desk-kiosk/.venv/bin/pip check && /opt/front-desk-kiosk/.venv/bin/pip check'
  in_root '. /etc/os-release; echo "$PRETTY_NAME, $(uname -m), glibc $(ldd --version | head -1 | awk "{print \$NF}"), $(python3 --version)"; \
    /opt/front-desk-kiosk/.venv/bin/pip list 2>/dev/null | grep -Ei "^(pyside6|lgpio|gpiozero|opencv)"' > "$out/$suite/platform.txt" 2>&1
  took[$suite.total]=$((SECONDS - t_suite))
  cleanup
done

echo
echo "arm64 check (qemu-user), logs and screenshots in $out"
for suite in "${suites[@]}"; do
  echo "== $suite: $(head -1 "$out/$suite/platform.txt" 2>/dev/null) (${took[$suite.total]:-?} s)"
  sed -n '2,$p' "$out/$suite/platform.txt" 2>/dev/null | sed 's/^/   /'
  for name in debootstrap fresh-root readme-first-command install-pi units-verify snapshots check-hardware pip-check; do
    printf '   %-22s %-5s %5s s\n' "$name" "${result[$suite.$name]:-skipped}" "${took[$suite.$name]:-}"
    [ -n "${result[$suite.$name]:-}" ] || failed=1
  done
done
exit $failed
