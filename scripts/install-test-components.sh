#!/usr/bin/env bash
# Installs what the tests start for real, when it is missing: Debian's chromium (UI tests through the browser host),
# postgresql (Unleash's database), prometheus + promtool (metrics tests), and Unleash 6.10.1 in its own folder
# (it needs Node < 21 and must not mix its dependency tree with the app's).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
{ command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; } || missing+=(postgresql)
{ [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; } || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -f test/components/unleash/node_modules/unleash-server/package.json ]; then
  echo "Installing unleash-server 6.10.1 for the tests (test/components/unleash)"
  npm ci --prefix test/components/unleash --no-audit --no-fund
fi

if [ ! -f test/components/otel-service/node_modules/unleash-client/package.json ]; then
  echo "Installing the instrumented test service's SDKs (test/components/otel-service: OpenTelemetry JS 2.x, unleash-client)"
  npm ci --prefix test/components/otel-service --no-audit --no-fund
fi
