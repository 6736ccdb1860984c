#!/usr/bin/env bash
# Several broker nodes on one PostgreSQL store, behind nginx, all on loopback:
#   installer/cluster.sh [--no-wait]      (./run.sh cluster; NODES=2, CLUSTER_PORT=8090)
# PostgreSQL (a cluster made with initdb in build/cluster/postgres, run as an unprivileged
# user), the sample OData service, NODES broker nodes sharing the store and one secret key, and
# nginx in front (installer/cluster/nginx.conf.in). The sample service is registered through
# node 1 and called through nginx. bench/cluster.sh sources this file for its functions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
broker="$root/build/release/broker/server/odata-broker"
work="$root/build/cluster"
cluster_pids=()

cluster_cleanup() {
  for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_for() {  # command, what, log
  for _ in $(seq 1 300); do
    eval "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "cluster: $2 did not start; its log:" >&2
  cat "$3" >&2
  exit 1
}

# Sets pg_url and pg_password_file.
start_postgres() {
  local bin pg_user="" as=()
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  mkdir -p "$work/postgres"
  pg_password_file="$work/store.password"
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$pg_password_file"
  chmod 600 "$pg_password_file"
  cp "$pg_password_file" "$work/postgres/pwfile"
  if [ "$(id -u)" -eq 0 ]; then  # postgres refuses to run as root
    pg_user=postgres
    id "$pg_user" >/dev/null 2>&1 || pg_user=nobody
    chown -R "$pg_user" "$work/postgres"
    chmod o+x "$work"
    as=(setpriv --reuid="$(id -u "$pg_user")" --regid="$(id -g "$pg_user")" --clear-groups)
  fi
  "${as[@]}" "$bin/initdb" -D "$work/postgres/data" --username=broker --auth=scram-sha-256 \
    --pwfile="$work/postgres/pwfile" --encoding=UTF8 --no-sync >"$work/initdb.log" 2>&1
  local port
  port="$(free_port)"
  "${as[@]}" "$bin/postgres" -D "$work/postgres/data" -p "$port" -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories="$work/postgres" -c max_connections=200 \
    >"$work/postgres.log" 2>&1 &
  cluster_pids+=($!)
  wait_for "$bin/pg_isready -q -h 127.0.0.1 -p $port" "PostgreSQL" "$work/postgres.log"
  PGPASSWORD="$(cat "$pg_password_file")" "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U broker \
    -d postgres -c "CREATE DATABASE odata_broker"
  pg_url="postgresql://broker@127.0.0.1:$port/odata_broker"
}

# Sets service (the sample service's origin).
start_service() {
  (cd "$root/samples/demo-service" &&
    PORT=0 DEMO_READY_FILE="$work/service.url" exec node node_modules/@sap/cds/bin/serve.js) \
    >"$work/service.log" 2>&1 &
  cluster_pids+=($!)
  wait_for "test -s $work/service.url" "the sample service" "$work/service.log"
  service="$(cat "$work/service.url")"
}

# start_node N: node N on the store; node 1 makes the secret key, the others get a copy.
start_node() {
  local dir="$work/node$1"
  mkdir -p "$dir"
  if [ "$1" -gt 1 ]; then
    cp "$work/node1/secret.key" "$dir/secret.key"
    chmod 600 "$dir/secret.key"
  fi
  "$broker" serve --port 0 --data-dir "$dir" --ready-file "$dir/broker.url" \
    --set "store=$pg_url" --set "storePasswordFile=$pg_password_file" \
    --set maxConnectionsPerClient=2048 >"$dir/broker.log" 2>&1 &
  cluster_pids+=($!)
  wait_for "test -s $dir/broker.url" "broker node $1" "$dir/broker.log"
}

node_url() { cat "$work/node$1/broker.url"; }

# start_nginx NAME PORT NODE…: nginx on PORT in front of the nodes.
start_nginx() {
  local dir="$work/$1" port="$2" servers="" node
  shift 2
  mkdir -p "$dir/tmp"
  chmod 755 "$dir"
  for node in "$@"; do
    servers+="server $(node_url "$node" | sed 's|http://||') max_fails=1 fail_timeout=5s; "
  done
  sed -e "s|@DIR@|$dir|g" -e "s|@LISTEN@|127.0.0.1:$port|g" -e "s|@SERVERS@|$servers|g" \
    "$root/installer/cluster/nginx.conf.in" >"$dir/nginx.conf"
  nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" &
  cluster_pids+=($!)
  wait_for "curl -sf http://127.0.0.1:$port/api/v1/health" "nginx" "$dir/error.log"
}

main() {
  local nodes="${NODES:-2}" port="${CLUSTER_PORT:-8090}" wait_at_end=1 i
  [ "${1:-}" = "--no-wait" ] && wait_at_end=0
  rm -rf "$work"
  mkdir -p "$work"
  trap cluster_cleanup EXIT
  trap 'exit 130' INT TERM

  echo "== PostgreSQL"
  start_postgres
  echo "   $pg_url (password in $pg_password_file)"
  echo "== the sample OData service"
  start_service
  echo "   $service/odata/v4/demo/"
  for i in $(seq 1 "$nodes"); do
    start_node "$i"
    echo "== broker node $i: $(node_url "$i")"
  done
  start_nginx nginx "$port" $(seq 1 "$nodes")
  echo "== nginx in front of them: http://127.0.0.1:$port"

  echo
  echo "\$ ODATA_BROKER_URL=$(node_url 1) odata-broker register demo --service-url …"
  ODATA_BROKER_URL="$(node_url 1)" "$broker" register demo --service-url "$service/odata/v4/demo/" \
    --description "Sample service, registered through node 1"
  sleep 0.3
  echo
  echo "\$ ODATA_BROKER_URL=http://127.0.0.1:$port odata-broker call demo Products List --top 3"
  for i in $(seq 1 "$nodes"); do
    ODATA_BROKER_URL="http://127.0.0.1:$port" "$broker" call demo Products List --top 3 \
      --returns ID,Name
  done
  echo
  for i in $(seq 1 "$nodes"); do
    echo "node $i health: $(curl -s "$(node_url "$i")/api/v1/health")"
  done
  echo
  echo "Through nginx: http://127.0.0.1:$port (UI at /ui/). Logs: $work/node*/broker.log"
  if [ "$wait_at_end" = 1 ]; then
    echo "All keep running; press Ctrl-C to stop them."
    wait
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
