#!/usr/bin/env bash
# Calls per second through nginx in front of one broker node and in front of two, in one run
# on the same PostgreSQL store and the same sample service (installer/cluster.sh's functions).
# wrk drives the two fronts in turn (ROUNDS rounds of SECONDS_PER_RUN seconds, 16
# connections) with two calls: Products Load (a round trip to the sample service) and a filter
# translation (the broker alone). Prints the median requests/s and the two-node ÷ one-node
# ratio. On a 2-core machine wrk, nginx, the nodes and the service share the cores.
#   bench/cluster.sh             (ROUNDS=3 SECONDS_PER_RUN=5)
set -euo pipefail
source "$(dirname "$0")/../installer/cluster.sh"
source "$root/bench/wrk.sh"  # wrk_run, wrk_post_script, median
rounds="${ROUNDS:-3}"
seconds="${SECONDS_PER_RUN:-5}"
rm -rf "$work"
mkdir -p "$work"
trap cluster_cleanup EXIT

start_postgres
start_service
start_node 1
start_node 2
one_port="$(free_port)"
two_port="$(free_port)"
start_nginx nginx-one "$one_port" 1
start_nginx nginx-two "$two_port" 1 2
ODATA_BROKER_URL="$(node_url 1)" "$broker" register demo --service-url "$service/odata/v4/demo/" \
  >/dev/null
sleep 0.5
for node in 1 2; do  # both nodes serve it before anything is measured
  curl -sf -X POST "$(node_url "$node")/api/v1/instances/demo/objects/Products/methods/Load" \
    -d '{"inputs": {"ID": 1}}' | grep -q '"ID":1' ||
    { echo "cluster bench: node $node does not serve the instance" >&2; exit 1; }
done

wrk_post_script "$work/load.lua" '{"inputs": {"ID": 1}}'
wrk_post_script "$work/filter.lua" \
  '{"filter": {"and": [{"startsWith": [{"property": "Name"}, "S"]}, {"greaterThan": [{"property": "Rating"}, 2]}]}}'


printf "%-8s %16s %16s %8s\n" call "1 node req/s" "2 nodes req/s" ratio
for call in load filter; do
  path=/api/v1/instances/demo/objects/Products/methods/Load
  [ "$call" = filter ] && path=/api/v1/instances/demo/objects/Products/filter
  : >"$work/one"
  : >"$work/two"
  for _ in $(seq 1 "$rounds"); do
    wrk_run 16 "http://127.0.0.1:$one_port$path" "$work/$call.lua" | cut -d' ' -f1 >>"$work/one"
    wrk_run 16 "http://127.0.0.1:$two_port$path" "$work/$call.lua" | cut -d' ' -f1 >>"$work/two"
  done
  one="$(median <"$work/one")"
  two="$(median <"$work/two")"
  printf "%-8s %16s %16s %8s\n" "$call" "$one" "$two" "$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f", b / a }')"
done
