#!/usr/bin/env bash
# Installs every build, test and runtime dependency of OData Broker from Debian packages.
# Safe to run again: apt-get skips what is already installed; the apt index is refreshed
# only when a package is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang-format clang-tidy
  libpoco-dev libxerces-c-dev libssl-dev zlib1g-dev libsimdjson-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libxml2-utils curl time lintian nginx chromium wrk tinyproxy postgresql
  nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
# Node 20 may come from elsewhere than Debian's nodejs package; keep what works.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs/}")
  missing=("${missing[@]/npm/}")
fi
read -r -a missing <<<"${missing[*]}"

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "deps: all Debian packages present"
fi

# The Node.js peers: the demo service (SAP CAP) and its test middleware, the links service
# of the tests (@sap/odata-server) and their OAuth server (@node-oauth/oauth2-server). npm
# packages from the committed lockfiles; no install scripts are needed (SQLite runs as
# sql.js), so none are run. nginx (above) is the tests' TLS and auth front (the package's own
# service is not used); chromium runs the UI tests, driven by playwright-core (tests/ui); an
# OpenAPI validator and a generic OpenAPI client check the broker's documents (tests/openapi).
root="$(cd "$(dirname "$0")/.." && pwd)"
for service in samples/demo-service tests/peers/links-service tests/peers/oauth-server tests/ui \
    tests/openapi; do
  dir="$root/$service"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    echo "deps: npm ci in $service"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  else
    echo "deps: $service packages present"
  fi
done
