#!/bin/sh
# Makes sure `prometheus` and `promtool` are on PATH, installing Debian's `prometheus` package if they are not.
# Idempotent and quiet. Starts no service: the tests run their own Prometheus on a free loopback port with their
# own storage directory, so nothing may linger on :9090.
set -eu

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: prometheus/promtool not found and apt-get is not available; install Prometheus >= 2.42 and put prometheus and promtool on PATH (or set PROMETHEUS_BIN / PROMTOOL_BIN)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: installing the prometheus package needs root (or sudo)" >&2
    exit 1
  fi
fi

# Forbid the package's maintainer scripts to start the prometheus service while we install (policy-rc.d exit 101),
# unless a policy is already in place; remove our policy afterwards.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  OWN_POLICY=1
fi
cleanup() { if [ -n "$OWN_POLICY" ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

echo "==> installing prometheus and promtool (Debian package prometheus)" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null

# Should a service manager run here after all, make sure the packaged service is neither running nor enabled.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi

prometheus --version 2>&1 | head -n 1 >&2
promtool --version >/dev/null
