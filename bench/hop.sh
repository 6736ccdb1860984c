#!/usr/bin/env bash
# The broker hop against a reverse proxy, in one run on loopback: nginx serves a static OData V4
# service (its $metadata and one page of an entity set, 100 or 1,000 rows of 6 properties),
# nginx also proxies it, and the broker lists it. wrk drives the three in turn (direct, proxy,
# broker; ROUNDS rounds of SECONDS each, alternating) at 1 and 16 connections, and the median of
# the rounds is printed: requests/s, p50 and p99, and the broker ÷ proxy ratios.
#   bench/hop.sh [BROKER_BINARY]     (ROUNDS=3 SECONDS=5 by default)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
broker_bin="${1:-$root/build/release/broker/server/odata-broker}"
rounds="${ROUNDS:-3}"
seconds="${SECONDS_PER_RUN:-5}"
work="$(mktemp -d /tmp/odata-hop.XXXXXX)"
chmod 755 "$work"  # nginx workers run as another user
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
[ -n "${HOP_KEEP:-}" ] && trap - EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- the static service ----
mkdir -p "$work/www"
cat >"$work/www/metadata.xml" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Hop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Item">
        <Key><PropertyRef Name="ID"/></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Name" Type="Edm.String"/>
        <Property Name="Price" Type="Edm.Decimal" Scale="2" Precision="10"/>
        <Property Name="Created" Type="Edm.DateTimeOffset"/>
        <Property Name="Active" Type="Edm.Boolean"/>
        <Property Name="Rating" Type="Edm.Double"/>
      </EntityType>
      <EntityContainer Name="Container">
        <EntitySet Name="Items" EntityType="Hop.Item"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
EOF
for rows in 100 1000; do
  python3 - "$rows" >"$work/www/items-$rows.json" <<'EOF'
import json, sys
n = int(sys.argv[1])
rows = [{"ID": i, "Name": f"Item number {i} with \"quotes\"", "Price": round(i * 1.25, 2),
         "Created": f"2026-11-{1 + i % 28:02d}T10:{i % 60:02d}:00Z", "Active": i % 2 == 0,
         "Rating": i / 7} for i in range(1, n + 1)]
print(json.dumps({"@odata.context": "$metadata#Items", "value": rows}))
EOF
done

upstream_port="$(free_port)"
proxy_port="$(free_port)"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  upstream service { server 127.0.0.1:$upstream_port; keepalive 64; }
  server {
    listen 127.0.0.1:$upstream_port;
    location ~ ^/odata(100|1000)/\\\$metadata\$ {
      default_type application/xml;
      alias $work/www/metadata.xml;
    }
    location ~ ^/odata(100|1000)/Items\$ {
      alias $work/www/items-\$1.json;
    }
  }
  server {
    listen 127.0.0.1:$proxy_port;
    location / {
      proxy_pass http://service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)

# ---- the broker ----
broker_port="$(free_port)"
"$broker_bin" serve --port "$broker_port" --data-dir "$work/broker" --log-level warning \
  >"$work/broker.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$broker_port/api/v1/health" >/dev/null 2>&1 &&
    curl -sf "http://127.0.0.1:$upstream_port/odata100/\$metadata" >/dev/null 2>&1 && break
  sleep 0.1
done
for rows in 100 1000; do
  curl -sf -X POST "http://127.0.0.1:$broker_port/api/v1/instances" \
    -H 'Content-Type: application/json' \
    -d "{\"name\":\"hop$rows\",\"serviceKeys\":{\"serviceUrl\":\"http://127.0.0.1:$upstream_port/odata$rows/\"}}" \
    >/dev/null
done
source "$root/bench/wrk.sh"  # wrk_run, wrk_post_script, median
wrk_post_script "$work/list.lua" '{}'
# A wrong answer must not pass for a fast one.
rows_back="$(curl -sf -X POST "http://127.0.0.1:$broker_port/api/v1/instances/hop100/objects/Items/methods/List" \
  -H 'Content-Type: application/json' -d '{}' | grep -o '"ID"' | wc -l)"
[ "$rows_back" = 100 ] || { echo "hop: the broker listed $rows_back rows, not 100" >&2; exit 1; }

# ---- the runs ----

printf "%-6s %-5s %-7s %12s %9s %9s\n" rows conns path "requests/s" "p50 ms" "p99 ms"
for rows in 100 1000; do
  for connections in 1 16; do
    : >"$work/direct" ; : >"$work/proxy" ; : >"$work/broker-runs"
    for _ in $(seq "$rounds"); do
      wrk_run "$connections" "http://127.0.0.1:$upstream_port/odata$rows/Items" >>"$work/direct"
      wrk_run "$connections" "http://127.0.0.1:$proxy_port/odata$rows/Items" >>"$work/proxy"
      wrk_run "$connections" \
        "http://127.0.0.1:$broker_port/api/v1/instances/hop$rows/objects/Items/methods/List" \
        "$work/list.lua" >>"$work/broker-runs"
    done
    declare -A result=()
    for path in direct proxy broker-runs; do
      for column in 1 2 3; do
        result[$path.$column]="$(cut -d' ' -f"$column" "$work/$path" | median)"
      done
      printf "%-6s %-5s %-7s %12.0f %9.3f %9.3f\n" "$rows" "$connections" "${path%-runs}" \
        "${result[$path.1]}" "${result[$path.2]}" "${result[$path.3]}"
    done
    awk -v b="${result[broker-runs.1]}" -v p="${result[proxy.1]}" \
        -v b50="${result[broker-runs.2]}" -v p50="${result[proxy.2]}" \
        -v b99="${result[broker-runs.3]}" -v p99="${result[proxy.3]}" -v r="$rows" -v c="$connections" \
      'BEGIN { printf "%-6s %-5s ratio   broker/proxy requests/s %.2f; added p50 %.3f ms; added p99 %.3f ms\n", r, c, b / p, b50 - p50, b99 - p99 }'
    unset result
  done
done
