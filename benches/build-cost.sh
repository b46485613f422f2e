#!/usr/bin/env bash
# Build cost, codegen time and generated code size: smithy-lite's xray crate
# against aws-sdk-xray. Prints a table with ratios (ours / theirs).
#
#   bash benches/build-cost.sh             # everything (about 10 minutes on 2 cores)
#   bash benches/build-cost.sh --no-build  # codegen time and line counts only
#
# Builds: benches/build-cost/ours and benches/build-cost/theirs, two minimal
# programs that send one PutTelemetryRecords, each its own workspace with its
# own Cargo.lock. Dependencies are fetched first (`cargo fetch`, not timed);
# every build starts from an empty target directory under $BUILD_COST_DIR
# (default /tmp/smithy-lite-build-cost) with the default dev and release
# profiles and `--offline --locked`. Measured: wall time and CPU time (user +
# system, of cargo and every process it ran; the figure to compare when other
# work shares the machine) of the cold `cargo build`, crates compiled (cargo's `Compiling` lines: every package,
# the program included), size of the binary after `strip`. Each build also
# writes cargo's --timings report; the slowest units are printed from it.
#
# Codegen: the built xtask (`cargo build -p xtask` first, not timed), run
# 10 times as `xtask codegen --check` with its formatting cache emptied
# before each run, then 10 times with the cache filled; the median wall time
# of each.
#
# Lines: non-blank lines of .rs files in crates/xray and crates/xray-types
# against aws-sdk-xray's src/ in the cargo registry (the version theirs/
# Cargo.lock pins).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
out="${BUILD_COST_DIR:-/tmp/smithy-lite-build-cost}"
build=1
[ "${1:-}" = "--no-build" ] && build=0
mkdir -p "$out"
export CARGO_TERM_COLOR=never

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }

# The slowest compilation units of a --timings report (the JSON inside the HTML).
slowest() {
  local html
  html="$(ls -t "$1"/cargo-timings/cargo-timing-*.html 2>/dev/null | head -1)"
  [ -n "$html" ] && command -v python3 >/dev/null || return 0
  python3 - "$html" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", text, re.S)
if not m:
    sys.exit(0)
units = sorted(json.loads(m.group(1)), key=lambda u: -u["duration"])[:8]
print("    slowest units: " + ", ".join(
    f'{u["name"]} {u["version"]}{" (" + u["target"].strip() + ")" if u["target"].strip() else ""} {u["duration"]:.1f}s'
    for u in units))
PY
}

declare -A secs cpu crates size
if [ "$build" = 1 ]; then
  echo "== fetching dependencies (not timed)"
  for side in ours theirs; do
    cargo fetch --locked --manifest-path "$here/build-cost/$side/Cargo.toml"
  done
  for profile in debug release; do
    for side in ours theirs; do
      target="$out/target-$side-$profile"
      rm -rf "$target"
      flag=()
      [ "$profile" = release ] && flag=(--release)
      echo "== $side: cold $profile build"
      log="$out/$side-$profile.log"
      # bash's `time`: wall, user and system seconds of cargo and everything it ran.
      TIMEFORMAT='%R %U %S'
      { time CARGO_TARGET_DIR="$target" cargo build --offline --locked --timings "${flag[@]}" \
        --manifest-path "$here/build-cost/$side/Cargo.toml" 2>"$log"; } 2>"$out/$side-$profile.time"
      read -r wall user sys <"$out/$side-$profile.time"
      secs[$side-$profile]="$(awk -v a="$wall" 'BEGIN { printf "%.1f", a }')"
      cpu[$side-$profile]="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')"
      crates[$side-$profile]="$(grep -c '^ *Compiling ' "$log")"
      strip -o "$out/$side-$profile.stripped" "$target/$profile/build-cost-$side"
      size[$side-$profile]="$(stat -c %s "$out/$side-$profile.stripped")"
      echo "   ${secs[$side-$profile]} s wall, ${cpu[$side-$profile]} s CPU, ${crates[$side-$profile]} crates, stripped binary ${size[$side-$profile]} bytes"
      slowest "$target"
    done
  done
fi

echo "== codegen: building the xtask (not timed)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
(cd "$root" && cargo build --quiet -p xtask)
xtask="$target_dir/debug/xtask"
# Warm: the xtask's formatting cache (target/codegen-rustfmt/cache) holds
# every file, as after any earlier run. Cold: the cache emptied before each
# run, as after a change to the model or the emitters (every file is
# pretty-printed and rustfmt'ed again).
cache="$root/target/codegen-rustfmt/cache"
codegen_runs() {
  local cold="$1" start end
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    [ "$cold" = 1 ] && rm -rf "$cache"
    start="$(now)"
    "$xtask" codegen --check >/dev/null 2>&1 || { echo "error: xtask codegen --check failed" >&2; exit 1; }
    end="$(now)"
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
  done
}
cold_times="$(codegen_runs 1 | tr '\n' ' ')"
warm_times="$(codegen_runs 0 | tr '\n' ' ')"
codegen_cold_ms="$(printf '%s\n' $cold_times | median)"
codegen_ms="$(printf '%s\n' $warm_times | median)"
echo "   cold cache, runs (ms): $cold_times; median $codegen_cold_ms ms"
echo "   warm cache, runs (ms): $warm_times; median $codegen_ms ms"

echo "== generated code lines"
nonblank() { find "$@" -name '*.rs' -print0 | xargs -0 cat | grep -c '[^[:space:]]'; }
ours_lines="$(nonblank "$root/crates/xray" "$root/crates/xray-types")"
version="$(awk '/^name = "aws-sdk-xray"$/ { getline; gsub(/"/, "", $3); print $3 }' "$here/build-cost/theirs/Cargo.lock")"
theirs_src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"aws-sdk-xray-$version"/src | head -1)"
theirs_lines="$(nonblank "$theirs_src")"
echo "   ours $ours_lines, aws-sdk-xray $version $theirs_lines"

echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(date -u +%Y-%m-%d), $(rustc --version)"
echo
printf '| %-34s | %14s | %14s | %8s |\n' "measure" "smithy-lite" "aws-sdk-xray" "ratio"
printf '| %-34s | %14s | %14s | %8s |\n' "---" "---:" "---:" "---:"
if [ "$build" = 1 ]; then
  for profile in debug release; do
    o="ours-$profile" t="theirs-$profile"
    printf '| %-34s | %14s | %14s | %8s |\n' "cold $profile build, wall (s)" "${secs[$o]}" "${secs[$t]}" "$(ratio "${secs[$o]}" "${secs[$t]}")"
    printf '| %-34s | %14s | %14s | %8s |\n' "cold $profile build, CPU (s)" "${cpu[$o]}" "${cpu[$t]}" "$(ratio "${cpu[$o]}" "${cpu[$t]}")"
    printf '| %-34s | %14s | %14s | %8s |\n' "crates compiled ($profile)" "${crates[$o]}" "${crates[$t]}" "$(ratio "${crates[$o]}" "${crates[$t]}")"
    printf '| %-34s | %14s | %14s | %8s |\n' "stripped binary, $profile (bytes)" "${size[$o]}" "${size[$t]}" "$(ratio "${size[$o]}" "${size[$t]}")"
  done
fi
printf '| %-34s | %14s | %14s | %8s |\n' "generated .rs lines (non-blank)" "$ours_lines" "$theirs_lines" "$(ratio "$ours_lines" "$theirs_lines")"
printf '| %-34s | %14s | %14s | %8s |\n' "codegen --check, cold cache (ms)" "$codegen_cold_ms" "-" "-"
printf '| %-34s | %14s | %14s | %8s |\n' "codegen --check, warm cache (ms)" "$codegen_ms" "-" "-"
