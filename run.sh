#!/usr/bin/env bash
# One entry point for a fresh machine:
#   ./run.sh demo    install dependencies, build, run the demo (--no-wait: stop when printed)
#   ./run.sh test    install dependencies, build, run every test, and the concurrency test
#                    under ASan and TSan (what CI runs)
#   ./run.sh build [debug|release|asan]
#   ./run.sh bench   build and run the benchmarks (figures go to build/bench-*.txt)
#   ./run.sh package build the Debian package (build/release/odata-broker_*.deb)
set -euo pipefail
cd "$(dirname "$0")"

preset_build() {
  local preset="${1:-release}"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
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
    fi
    ;;
  package)
    bash installer/deps.sh
    preset_build release
    (cd build/release && cpack -G DEB)
    ;;
  bench)
    bash installer/deps.sh
    preset_build release
    for bench in metadata_load catalog_build engine_list broker_calls; do
      build/release/bench/$bench --benchmark_repetitions=5 --benchmark_min_time=0.3 \
        | tee build/bench-$bench.txt
    done
    # The broker hop against nginx as a reverse proxy, with wrk (requests/s, p50, p99).
    bench/hop.sh | tee build/bench-hop.txt
    ;;
  *)
    sed -n '2,8p' "$0"
    exit 2
    ;;
esac
