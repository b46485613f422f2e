#!/usr/bin/env bash
# Prints the medians of the last `cargo bench --manifest-path benches/Cargo.toml`
# run as a Markdown table: per benchmark the median time per iteration, the
# throughput at that median (requests/s, records/s or MiB/s) and the ratio
# aws-sdk-xray / smithy-lite (above 1: ours is faster).
#
#   bash benches/criterion-medians.sh [TARGET_DIR]
#
# TARGET_DIR defaults to $CARGO_TARGET_DIR, else benches/target.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-${CARGO_TARGET_DIR:-$here/target}}/criterion"
[ -d "$dir" ] || { echo "error: no criterion results in $dir; run the benchmarks first" >&2; exit 1; }
python3 - "$dir" <<'PY'
import json, os, sys

root = sys.argv[1]
rows = {}
for base, _, files in os.walk(root):
    if os.path.basename(base) != "new" or "benchmark.json" not in files:
        continue
    bench = json.load(open(os.path.join(base, "benchmark.json")))
    est = json.load(open(os.path.join(base, "estimates.json")))
    median_ns = est["median"]["point_estimate"]
    key = (bench["group_id"], bench.get("value_str") or "")
    rows.setdefault(key, {})[bench["function_id"]] = (median_ns, bench.get("throughput"))

def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}" if ns / scale < 100 else f"{ns / scale:.0f} {unit}"
    return f"{ns:.0f} ns"

def fmt_thrpt(ns, t):
    if not t:
        return "-"
    if "Elements" in t:
        per_s = t["Elements"] / (ns / 1e9)
        return f"{per_s:,.0f}/s"
    if "Bytes" in t:
        return f"{t['Bytes'] / (ns / 1e9) / (1 << 20):,.0f} MiB/s"
    return "-"

def sort_key(k):
    group, value = k
    return (group, int(value) if value.isdigit() else 0, value)

print("| benchmark | input | implementation | median | throughput | aws-sdk-xray / smithy-lite |")
print("| --- | --- | --- | ---: | ---: | ---: |")
for key in sorted(rows, key=sort_key):
    group, value = key
    funcs = rows[key]
    ours = funcs.get("smithy-lite")
    theirs = funcs.get("aws-sdk-xray")
    ratio = f"{theirs[0] / ours[0]:.2f}x" if ours and theirs else "-"
    order = ["smithy-lite", "aws-sdk-xray"] + sorted(f for f in funcs if f not in ("smithy-lite", "aws-sdk-xray"))
    for f in order:
        if f not in funcs:
            continue
        ns, t = funcs[f]
        print(f"| {group} | {value or '-'} | {f} | {fmt_time(ns)} | {fmt_thrpt(ns, t)} | {ratio if f == 'smithy-lite' else ''} |")
PY
