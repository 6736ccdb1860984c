#!/usr/bin/env bash
# The demo: starts the sample CAP service and the broker (embedded SQLite store in
# build/demo-data), registers the service over OData V4 and V2, prints a List and a filtered
# List through the CLI, then keeps both running until Ctrl-C (or stops at once: --no-wait).
# Environment: BROKER_PORT (default 8080).
set -euo pipefail
cd "$(dirname "$0")/.."

broker=build/release/broker/server/odata-broker
data=build/demo-data
port="${BROKER_PORT:-8080}"
wait_at_end=1
[ "${1:-}" = "--no-wait" ] && wait_at_end=0

rm -rf "$data"
mkdir -p "$data"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_file() {  # file, what, log
  for _ in $(seq 1 300); do
    [ -s "$1" ] && return 0
    sleep 0.1
  done
  echo "demo: $2 did not start; its log:" >&2
  cat "$3" >&2
  exit 1
}

echo "== starting the sample OData service (SAP CAP, samples/demo-service)"
(cd samples/demo-service &&
  PORT=0 DEMO_READY_FILE="../../$data/service.url" \
    exec node node_modules/@sap/cds/bin/serve.js) >"$data/service.log" 2>&1 &
pids+=($!)
wait_for_file "$data/service.url" "the sample service" "$data/service.log"
service="$(cat "$data/service.url")"
echo "   $service/odata/v4/demo/ and $service/odata/v2/demo/"

echo "== starting the broker on port $port (store: $data/broker.db, empty: the demo registers the service below)"
"$broker" serve --port "$port" --data-dir "$data" --ready-file "$data/broker.url" \
  >"$data/broker.log" 2>&1 &
pids+=($!)
wait_for_file "$data/broker.url" "the broker" "$data/broker.log"
export ODATA_BROKER_URL="$(cat "$data/broker.url")"

run() {
  echo
  echo "\$ odata-broker $*"
  "$broker" "$@"
}

run register demo --service-url "$service/odata/v4/demo/" --description "Sample service, OData V4"
run register demo-v2 --service-url "$service/odata/v2/demo/" --description "Sample service, OData V2"
run list
run call demo Products List --top 5 --returns ID,Name,Price,Rating --order-by "Price desc"
run call demo-v2 Products List Category_ID=2 --top 5 --returns ID,Name,Price,Rating \
  --filter '{"and": [{"startsWith": [{"property": "Name"}, "S"]}, {"greaterThan": [{"property": "Rating"}, 2]}]}'
echo
echo "(sent to the service as: $(curl -s -X POST "$ODATA_BROKER_URL/api/v1/instances/demo-v2/objects/Products/filter" \
  -d '{"filter": {"and": [{"startsWith": [{"property": "Name"}, "S"]}, {"greaterThan": [{"property": "Rating"}, 2]}]}}'))"
run call demo Products Load ID=8

run call demo Products List --top 3 --returns ID,Name --expand Category
echo
echo "\$ odata-broker batch demo -   # an order with its items, and a read, as one OData \$batch"
printf '%s' '{"requests": [{"id": "order", "object": "Orders", "method": "Create",
  "inputs": {"ID": 1, "Customer": "Demo", "Items": [{"Pos": 1, "Quantity": 2, "Product_ID": 1}]}},
  {"id": "category", "object": "Categories", "method": "Load", "inputs": {"ID": 2}}]}' |
  "$broker" batch demo -
echo
echo "Broker:   $ODATA_BROKER_URL   (REST API under /api/v1, metrics at /metrics)"
if [ -d broker/ui ]; then
  echo "UI:       $ODATA_BROKER_URL/ui/"
else
  echo "UI:       $ODATA_BROKER_URL/ui/ (the config UI is not part of this build yet)"
fi
echo "Logs:     $data/broker.log, $data/service.log"
if [ "$wait_at_end" = 1 ]; then
  echo "Both keep running; press Ctrl-C to stop them."
  wait
fi
