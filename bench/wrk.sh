# What the wrk benchmarks share (sourced by bench/hop.sh and bench/cluster.sh).

# wrk_run CONNECTIONS URL [SCRIPT]: one run of $seconds seconds; prints "requests/s p50_ms
# p99_ms". Fails on answers other than 2xx: a wrong answer must not pass for a fast one.
wrk_run() {
  local connections="$1" url="$2" script="${3:-}"
  local args=(-t "$((connections < 2 ? 1 : 2))" -c "$connections" -d "${seconds}s" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" "$url" | awk -v url="$url" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec/ { rps = $2 }
    /Non-2xx/ { bad = 1 }
    END { if (bad) { print "wrk: answers other than 2xx from " url > "/dev/stderr"; exit 1 }
          printf "%s %s %s\n", rps, p50, p99 }'
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# wrk_post_script FILE BODY: a wrk script that POSTs the JSON BODY.
wrk_post_script() {
  printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' \
    "$2" >"$1"
}
