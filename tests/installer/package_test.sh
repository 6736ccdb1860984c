#!/usr/bin/env bash
# The Debian package end to end: build it with CPack, check its contents and metadata, run
# lintian, install it, start the unit's ExecStart line by hand as the service user with the
# installed settings (systemd may not run here), check health and register an instance,
# upgrade to a rebuilt package and find the instance again, then remove and purge it.
# Usage: package_test.sh BUILD_DIR SOURCE_DIR   (needs root: it installs the package)
set -euo pipefail

build="$1"
source="$2"
work="$(mktemp -d)"
pid=""

fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  if dpkg-query -W -f='${Status}' odata-broker 2>/dev/null | grep -q 'install ok'; then
    dpkg --purge odata-broker >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || fail "this test installs a package and must run as root"
if dpkg-query -W -f='${Status}' odata-broker 2>/dev/null | grep -q 'install ok'; then
  fail "odata-broker is already installed here; the test installs and purges its own copy"
fi

package() {  # version → path of the .deb built into $work/<version>
  local out="$work/$1"
  mkdir -p "$out"
  (cd "$build" && cpack -G DEB -B "$out" -D CPACK_PACKAGE_VERSION="$1" >"$out/cpack.log" 2>&1) ||
    { cat "$out/cpack.log"; fail "cpack failed"; }
  ls "$out"/odata-broker_"$1"_*.deb
}

start() {  # runs the unit's ExecStart as the service user; sets $pid and $url
  local exec
  exec="$(sed -n 's/^ExecStart=//p' /lib/systemd/system/odata-broker.service)"
  [ -n "$exec" ] || fail "the unit has no ExecStart line"
  rm -f /var/lib/odata-broker/ready
  # A free port and a ready file on top of the installed settings (flags override them).
  # shellcheck disable=SC2086
  setpriv --reuid=odata-broker --regid=odata-broker --init-groups \
    $exec --port 0 --ready-file /var/lib/odata-broker/ready >"$work/broker.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    [ -s /var/lib/odata-broker/ready ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/broker.log"; fail "the installed broker exited"; }
    sleep 0.1
  done
  url="$(cat /var/lib/odata-broker/ready)"
  [ -n "$url" ] || { cat "$work/broker.log"; fail "the installed broker did not start"; }
}

stop() {
  kill -TERM "$pid"
  wait "$pid" || fail "the broker did not exit cleanly on SIGTERM"
  pid=""
}

step "build the package"
deb="$(package 0.1.0)"

step "contents"
contents="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/odata-broker ./etc/odata-broker/broker.properties \
            ./lib/systemd/system/odata-broker.service ./usr/share/doc/odata-broker/copyright \
            ./usr/share/doc/odata-broker/changelog.gz ./usr/share/doc/odata-broker/README.md; do
  grep -q " $path\$" <<<"$contents" || fail "$path is not in the package"
done

step "metadata"
info="$(dpkg-deb -I "$deb")"
for field in "Package: odata-broker" "Version: 0.1.0" "Architecture: amd64" "Section: net"; do
  grep -q "$field" <<<"$info" || fail "control lacks '$field'"
done
for dependency in adduser libpoconet80 libpoconetssl80 libpocodatasqlite80 libxerces-c3.2 libssl3; do
  grep -q "Depends:.*$dependency" <<<"$info" || fail "Depends lacks $dependency"
done
[ "$(dpkg-deb -f "$deb" Maintainer)" != "" ] || fail "no Maintainer"
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -q conffiles || fail "no conffiles"
for script in postinst prerm postrm; do
  grep -q "$script" <<<"$info" || fail "no $script"
done

step "lintian"
lintian --tag-display-limit 0 "$deb" >"$work/lintian.txt" 2>/dev/null || true
cat "$work/lintian.txt"
if grep -q '^E:' "$work/lintian.txt"; then fail "lintian reports errors"; fi

step "install"
dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i failed"; }
getent passwd odata-broker >/dev/null || fail "no odata-broker user"
[ "$(stat -c '%U %a' /var/lib/odata-broker)" = "odata-broker 700" ] ||
  fail "the data dir is $(stat -c '%U %a' /var/lib/odata-broker)"
[ "$(stat -c '%G %a' /etc/odata-broker/broker.properties)" = "odata-broker 640" ] ||
  fail "the settings file is $(stat -c '%G %a' /etc/odata-broker/broker.properties)"

if command -v systemd-analyze >/dev/null; then
  systemd-analyze verify /lib/systemd/system/odata-broker.service ||
    fail "systemd-analyze finds fault with the unit"
fi

step "start as the service user, health, register"
start
curl -sf "$url/api/v1/health" | grep -q '"status":"ok"' || fail "health is not ok"
[ "$(stat -c '%U %a' /var/lib/odata-broker/secret.key)" = "odata-broker 600" ] ||
  fail "secret.key is $(stat -c '%U %a' /var/lib/odata-broker/secret.key)"
install -m 0644 "$source/samples/metadata/demo-v4.xml" "$work/demo-v4.xml"
chmod 0755 "$work"
/usr/bin/odata-broker register demo --url "$url" --service-url http://127.0.0.1:9/odata/demo/ \
  --set metadataUrlOrFilePath="$work/demo-v4.xml" --auth static --username u --password 'p@ss' \
  >"$work/register.log" 2>&1 || { cat "$work/register.log"; fail "register failed"; }
stop
grep -q 'p@ss' "$work/broker.log" && fail "the password appears in the log"

step "upgrade to a rebuilt package"
upgrade="$(package 0.1.1)"
dpkg -i "$upgrade" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "the upgrade failed"; }
[ "$(dpkg-query -W -f='${Version}' odata-broker)" = "0.1.1" ] || fail "not upgraded"
start
/usr/bin/odata-broker list --url "$url" | grep -q '^demo  *ready' || fail "the instance is gone"
/usr/bin/odata-broker describe demo Products --url "$url" >/dev/null || fail "describe failed"
stop

step "remove keeps settings and data; purge deletes them"
dpkg -r odata-broker >/dev/null
[ ! -e /usr/bin/odata-broker ] || fail "the binary is still there"
[ -f /etc/odata-broker/broker.properties ] || fail "remove deleted the settings"
[ -f /var/lib/odata-broker/broker.db ] || fail "remove deleted the store"
dpkg --purge odata-broker >/dev/null
[ ! -e /etc/odata-broker ] || fail "purge left /etc/odata-broker"
[ ! -e /var/lib/odata-broker ] || fail "purge left /var/lib/odata-broker"

echo "package test: passed"
