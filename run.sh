#!/usr/bin/env bash
# One entry point for a fresh machine:
#   ./run.sh demo    install dependencies, build, run the demo (--no-wait: stop when printed)
#   ./run.sh test    install dependencies, build, run every test, the concurrency test under
#                    ASan and TSan, and a minute of each fuzz target (what CI runs)
#   ./run.sh cluster PostgreSQL, two broker nodes sharing it and nginx in front, on loopback,
#                    with the sample service registered through one node and called through
#                    nginx (--no-wait: stop when printed; NODES=3 for three nodes)
#   ./run.sh build [debug|release|asan]
#   ./run.sh bench   build and run the benchmarks (figures go to build/bench-*.txt)
#   ./run.sh fuzz [SECONDS]  build the libFuzzer targets (preset fuzz: clang, ASan, UBSan),
#                    replay their seeds and crash reproducers, then run each SECONDS (60)
#   ./run.sh package build the Debian package (build/release/odata-broker_*.deb)
set -euo pipefail
cd "$(dirname "$0")"
BROKER_CORPUS_DIR_DEFAULT="$(cd .. && pwd)/shared/corpus/metadata"

preset_build() {
  local preset="${1:-release}"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
}

# Builds the fuzz targets, replays their seed corpora and regressions (ctest label fuzz), then
# runs each for $1 seconds on a scratch corpus. A crash writes its input to
# tests/fuzz/regressions/<target>/ (commit it with the fix) and fails.
run_fuzzers() {
  local seconds="$1" work
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz --target fuzzers
  ctest --preset fuzz -L fuzz
  work="$(mktemp -d)"
  for target in edmx_catalog_fuzz filter_fuzz reader_fuzz register_body_fuzz execute_body_fuzz \
                http_head_fuzz settings_fuzz; do
    mkdir -p "$work/$target"
    local extra=()
    [ "$target" = edmx_catalog_fuzz ] && extra=(-max_len=65536 "$BROKER_CORPUS_DIR_DEFAULT")
    echo "fuzz: $target for ${seconds}s"
    local status=0
    "build/fuzz/tests/fuzz/$target" -max_total_time="$seconds" -print_final_stats=1 \
      -dict=tests/fuzz/odata.dict -artifact_prefix="tests/fuzz/regressions/$target/" \
      "$work/$target" "tests/fuzz/corpus/$target" "tests/fuzz/regressions/$target" \
      "${extra[@]}" >"$work/$target.log" 2>&1 || status=$?
    grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|SUMMARY)|ERROR' \
      "$work/$target.log" || true
    if [ "$status" -ne 0 ]; then
      tail -n 60 "$work/$target.log" >&2
      rm -rf "$work"
      echo "fuzz: $target failed; the reproducer is in tests/fuzz/regressions/$target/" >&2
      exit 1
    fi
  done
  rm -rf "$work"
}

case "${1:-}" in
  deps)
    bash installer/deps.sh
    ;;
  build)
    bash installer/deps.sh
    preset_build "${2:-release}"
    ;;
  demo)
    bash installer/deps.sh
    preset_build release
    exec bash installer/demo.sh "${@:2}"
    ;;
  cluster)
    bash installer/deps.sh
    preset_build release
    exec bash installer/cluster.sh "${@:2}"
    ;;
  test)
    bash installer/deps.sh
    preset="${2:-release}"
    preset_build "$preset"
    ctest --preset "$preset" -j2
    if [ "$preset" = release ]; then
      # The concurrency test again under AddressSanitizer and ThreadSanitizer.
      for sanitizer in asan tsan; do
        cmake --preset "$sanitizer" >/dev/null
        cmake --build --preset "$sanitizer" --target concurrency_test
        ctest --preset "$sanitizer" -R '^concurrency_test$'
      done
      run_fuzzers 60
    fi
    ;;
  fuzz)
    bash installer/deps.sh
    run_fuzzers "${2:-60}"
    ;;
  package)
    bash installer/deps.sh
    preset_build release
    (cd build/release && cpack -G DEB)
    ;;
  bench)
    bash installer/deps.sh
    preset_build release
    for bench in metadata_load catalog_build engine_list reader_page batch_updates broker_calls; do
      build/release/bench/$bench --benchmark_repetitions=5 --benchmark_min_time=0.3 \
        | tee build/bench-$bench.txt
    done
    # The broker hop against nginx as a reverse proxy, with wrk (requests/s, p50, p99).
    bench/hop.sh | tee build/bench-hop.txt
    # Calls per second through nginx with one and with two broker nodes on PostgreSQL.
    bench/cluster.sh | tee build/bench-cluster.txt
    ;;
  *)
    sed -n '2,13p' "$0"
    exit 2
    ;;
esac
