#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every libFuzzer target for about SECONDS in total (default 120), one
# after another at low priority, each on a scratch copy of its seed corpus:
# first half of its time with small inputs (up to 64 KB), then the other
# half with inputs up to 4 MB, which reach the chunking, arena compaction
# and per-document limits that small inputs never do.
# A crash leaves its input in tests/fuzz/corpus/TARGET/crash-* (replayed by
# `make check` from then on) and makes this script fail.  Prints each
# target's final executions and coverage.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")/../.." || exit 2
total=${1:-120}
[ $# -gt 0 ] && shift
targets=${*:-$(for f in tests/fuzz/fuzz_*.c; do n=${f##*/fuzz_}; echo "${n%.c}"; done)}
count=$(echo $targets | wc -w)
each=$((total / count))
[ "$each" -lt 2 ] && each=2
half=$((each / 2))
make -s fuzz >/dev/null || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/gaztag-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
status=0
for t in $targets; do
    mkdir -p "$work/$t"
    log="$work/$t.log"
    nice -n 10 build/fuzz/fuzz_"$t" -max_total_time="$half" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="tests/fuzz/corpus/$t/" \
        "$work/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        nice -n 10 build/fuzz/fuzz_"$t" -max_total_time="$((each - half))" -timeout=30 \
            -rss_limit_mb=4096 -max_len=4194304 -len_control=0 -print_final_stats=1 \
            -artifact_prefix="tests/fuzz/corpus/$t/" \
            "$work/$t" >>"$log" 2>&1
        rc=$?
    fi
    execs=$(awk '/^stat::number_of_executed_units:/ { n += $2 } END { if (NR) print n }' "$log")
    cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/cov \1 ft \2/p')
    echo "$t: ${each}s, ${execs:-?} executions, ${cov:-coverage unknown}"
    if [ $rc -ne 0 ]; then
        status=1
        echo "$t: FAILED (exit $rc); last lines of the log:"
        tail -40 "$log"
    fi
done
exit $status
