#!/usr/bin/env bash
# Run the load example N times (default 5) and print the median, over the runs, of each run's
# client/raw calls/s ratios: sequential and at 64 concurrent callers (the two speed targets),
# plus the protocol floor's ratios. Extra arguments go to the example (e.g. --rounds 10).
#
#   bash scripts/load-medians.sh            # 5 runs
#   bash scripts/load-medians.sh 10 --secs 1
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-5}"
shift || true
case "$runs" in
'' | *[!0-9]*) echo "usage: $0 [RUNS] [load example arguments...]" >&2; exit 2 ;;
esac
[ "$runs" -ge 1 ] || { echo "RUNS must be at least 1" >&2; exit 2; }

cargo build --release --example load >&2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for i in $(seq "$runs"); do
    ./target/release/examples/load "$@" >"$out/run-$i.txt"
    # The first number after the colon of each ratio line is the run's median of paired rounds.
    seq_ratio=$(sed -n 's/^ratio client\/raw calls\/s, sequential: \([0-9.]*\).*/\1/p' "$out/run-$i.txt")
    conc_ratio=$(sed -n 's/^ratio client\/raw calls\/s, [0-9]* concurrent: \([0-9.]*\).*/\1/p' "$out/run-$i.txt")
    floor_ratio=$(sed -n 's/^ratio protocol floor\/raw calls\/s, [0-9]* concurrent: \([0-9.]*\);.*/\1/p' "$out/run-$i.txt")
    vs_floor=$(sed -n 's/^ratio protocol floor\/raw.*client\/protocol floor: \([0-9.]*\).*/\1/p' "$out/run-$i.txt")
    if [ -z "$seq_ratio" ] || [ -z "$conc_ratio" ]; then
        echo "run $i: no ratio lines in the output:" >&2
        cat "$out/run-$i.txt" >&2
        exit 1
    fi
    echo "$seq_ratio" >>"$out/seq"
    echo "$conc_ratio" >>"$out/conc"
    echo "${floor_ratio:-nan}" >>"$out/floor"
    echo "${vs_floor:-nan}" >>"$out/vsfloor"
    echo "run $i/$runs: sequential $seq_ratio, concurrent $conc_ratio (floor/raw ${floor_ratio:-?}, client/floor ${vs_floor:-?})" >&2
done

median() {
    sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
range() {
    sort -g "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f to %.3f", lo, hi }'
}

echo "load: $runs run(s); medians over the runs (each run's figure is the median of its paired rounds)"
echo "client/raw calls/s, sequential:    $(median "$out/seq") ($(range "$out/seq")); target >= 0.95"
echo "client/raw calls/s, 64 concurrent: $(median "$out/conc") ($(range "$out/conc")); target >= 0.90"
echo "protocol floor/raw, 64 concurrent: $(median "$out/floor") ($(range "$out/floor"))"
echo "client/protocol floor, concurrent: $(median "$out/vsfloor") ($(range "$out/vsfloor"))"
