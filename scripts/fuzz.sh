#!/usr/bin/env bash
# Runs Jazzer fuzz targets in fuzzing mode, one at a time, offline.
#
#   scripts/fuzz.sh <module> <TestClass> <method> <seconds>   fuzz one target
#   scripts/fuzz.sh all <seconds>                             fuzz every target in turn
#   scripts/fuzz.sh list                                      list the targets
#   scripts/fuzz.sh seeds                                     name the seeds behind surefire's [n]
#
# A target is a method annotated @BoundedFuzzTest in a */src/test/java/**/fuzz/ package. Each run:
#   - builds the module and what it depends on (mvn -o, profile "fuzz", which leaves the findings/
#     reproduction seeds out, so libFuzzer starts from the valid seeds and is not stopped at once by
#     a known finding);
#   - runs the one method with JAZZER_FUZZ=1 for <seconds>, Jazzer's instrumentation and sanitizer
#     hooks on (the default build runs the seeds without them), JUnit's own timeout off and
#     libFuzzer's -timeout at FUZZ_TIMEOUT seconds per input (default 10);
#   - keeps the generated corpus in <module>/target/fuzz-corpus/<TestClass>/<method> (reused by the
#     next run, which therefore stops at once on an input that still fails: delete the directory, or
#     set JAZZER_KEEP_GOING, to fuzz past it) and writes findings to <module>/target/fuzz-findings/<TestClass>/<method>/, both out
#     of the source tree; the full log goes to <module>/target/fuzz-logs/<TestClass>.<method>.log;
#   - prints one summary line:
#       FUZZ <module> <TestClass>#<method> runs=<n> fuzz_s=<s> exec_per_s=<n> cov=<n> corpus=<n> wall_s=<s>
#            cpu_s=<s> findings=<n> [<file> <exception>]...
#
# Jazzer options pass through as environment variables, e.g. JAZZER_KEEP_GOING=5 to go on after the
# first distinct finding; JAZZER_INSTRUMENT (default below) names the classes that give coverage
# feedback. Nothing is downloaded: Maven runs offline and Jazzer's native driver ships in its jar. Copy a finding into the target's
# src/test/resources/.../<TestClass>Inputs/<method>/findings/ to make it a regression seed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIMEOUT="${FUZZ_TIMEOUT:-10}"
# Coverage feedback from the library and the parsers it builds on, not only from its own classes.
export JAZZER_INSTRUMENT="${JAZZER_INSTRUMENT:-dev.mlops.**,de.siegmar.fastcsv.**,org.apache.arrow.**,\
com.fasterxml.jackson.**,org.yaml.snakeyaml.**,org.apache.datasketches.**,org.tribuo.**,com.google.protobuf.**}"

# Jazzer 0.24.0 writes corrupt bytecode when it instruments a nested record or a record with annotated
# components (fixed in 0.27.0, commit 94ea999): ModelRef's static initializer then fails with
# NoSuchFieldError, CsvOptions with IllegalAccessError. Such classes get hooks but no coverage
# instrumentation: every record of the project is listed here ('$' for a nested one).
records() {
  local file pkg top
  while IFS= read -r file; do
    pkg="$(grep -m1 -E '^package ' "$file" | sed -E 's/package ([^;]+);.*/\1/')"
    top="$(basename "$file" .java)"
    grep -E '^ *((public|protected|private|static|final|sealed|non-sealed) )*record [A-Z][A-Za-z0-9_]*' "$file" \
      | sed -E 's/^( *)((public|protected|private|static|final|sealed|non-sealed) )*record ([A-Za-z0-9_]+).*/\1|\4/' \
      | while IFS='|' read -r indent name; do
          if [[ -z "$indent" ]]; then echo "$pkg.$name"; else echo "$pkg.$top\$$name"; fi
        done
  done < <(cd "$ROOT" && find mlops-*/src -name '*.java' -print0 | xargs -0 grep -l -E '(^| )record [A-Z]' \
      | sed "s|^|$ROOT/|")
}
excludes="$(records | sort -u | paste -sd: -)"
export JAZZER_INSTRUMENTATION_EXCLUDES="${JAZZER_INSTRUMENTATION_EXCLUDES:+$JAZZER_INSTRUMENTATION_EXCLUDES:}$excludes"

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# Prints "module class method" for every fuzz target.
targets() {
  local file module class
  while IFS= read -r file; do
    module="${file%%/src/test/java/*}"
    class="$(basename "$file" .java)"
    awk -v m="$module" -v c="$class" '
      /@BoundedFuzzTest/ { want = 1; next }
      want && match($0, /void [A-Za-z0-9_]+\(/) {
        name = substr($0, RSTART + 5, RLENGTH - 6); print m, c, name; want = 0
      }' "$ROOT/$file"
  done < <(cd "$ROOT" && ls -1 mlops-*/src/test/java/dev/mlops/*/fuzz/*FuzzTest.java 2>/dev/null | sort)
}

# The last value of a "stat::<name>: <value>" line, or of a libFuzzer status field, in a log.
final_stat() {
  grep -a "stat::$2:" "$1" | tail -n 1 | awk '{print $2}'
}
status_field() {
  grep -a -E '^#[0-9]+' "$1" | tail -n 1 | grep -o -E "$2: *[0-9]+" | grep -o -E '[0-9]+$' || true
}

run_one() {
  local module="$1" class="$2" method="$3" seconds="$4"
  [[ -d "$ROOT/$module" ]] || { echo "no module $module" >&2; return 2; }
  local corpus="$ROOT/$module/target/fuzz-corpus/$class/$method"
  local findings="$ROOT/$module/target/fuzz-findings/$class/$method"
  local logs="$ROOT/$module/target/fuzz-logs"
  local log="$logs/$class.$method.log"
  mkdir -p "$corpus" "$findings" "$logs"
  local before
  before="$(find "$findings" -type f | wc -l)"
  local start end rc=0
  start="$(date +%s)"
  local cpu_file="$logs/$class.$method.cpu"
  (cd "$ROOT" && JAZZER_FUZZ=1 /usr/bin/time -f '%U %S' -o "$cpu_file" mvn -B -o -Pfuzz -pl "$module" -am test \
      -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djunit.jupiter.execution.timeout.mode=disabled -Djazzer.hooks=true \
      -Djazzer.internal.arg.0=fuzz \
      -Djazzer.internal.arg.1="$corpus" \
      -Djazzer.internal.arg.2="-max_total_time=$seconds" \
      -Djazzer.internal.arg.3="-timeout=$TIMEOUT" \
      -Djazzer.internal.arg.4="-artifact_prefix=$findings/" \
      -Djazzer.internal.arg.5="-print_final_stats=1") >"$log" 2>&1 || rc=$?
  end="$(date +%s)"

  local runs exec_s fuzz_s cov corp
  runs="$(final_stat "$log" number_of_executed_units)"
  exec_s="$(final_stat "$log" average_exec_per_sec)"
  [[ -n "$runs" ]] || runs="$(grep -a -E '^#[0-9]+' "$log" | tail -n 1 | grep -o -E '^#[0-9]+' | tr -d '#' || true)"
  fuzz_s="$(grep -a -o -E 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 | awk '{print $5}' || true)"
  if [[ -z "$fuzz_s" && -n "$runs" && -n "$exec_s" && "$exec_s" -gt 0 ]]; then
    fuzz_s="$(( runs / exec_s ))"
  fi
  cov="$(status_field "$log" cov)"
  # CPU seconds (user + system) of Maven and the forked test JVM together, build included.
  local cpu_s
  cpu_s="$(tail -n 1 "$cpu_file" 2>/dev/null | awk 'NF == 2 {printf "%d", $1 + $2}')"
  corp="$(find "$corpus" -type f | wc -l)"

  local found=()
  local f
  while IFS= read -r f; do
    [[ -n "$f" ]] && found+=("$f")
  done < <(grep -a -o -E 'Test unit written to [^ ]+' "$log" | awk '{print $5}' | sort -u)
  # What was found: each distinct exception Jazzer or JUnit reports, or libFuzzer's verdict (a timeout).
  local exceptions
  exceptions="$( { grep -a -o -E '(== Java Exception|FuzzTestFindingException): .+' "$log" \
      | sed -E 's/^(== Java Exception|FuzzTestFindingException): //' | cut -c1-160;
      grep -a -E '^(java|com|org|dev)\.[A-Za-z0-9_.$]+(Error|Exception|Issue[A-Za-z]*): ' "$log" | cut -c1-160;
      grep -a -o -E 'ERROR: libFuzzer: [a-z-]+.*' "$log" | cut -c1-120; } | sort -u | paste -sd'|' - || true)"

  local line="FUZZ $module $class#$method runs=${runs:-?} fuzz_s=${fuzz_s:-?} exec_per_s=${exec_s:-?}"
  line+=" cov=${cov:-?} corpus=$corp wall_s=$(( end - start )) cpu_s=${cpu_s:-?} findings=${#found[@]}"
  if (( ${#found[@]} > 0 )); then
    line+=" [${found[*]}] ($exceptions)"
  elif [[ -z "$runs" ]]; then
    line+=" (no libFuzzer statistics: mvn exited $rc, see $log)"
  fi
  echo "$line"
  echo "  log: $log"
  # non-zero when this run found something new or produced no statistics
  [[ -n "$runs" ]] && (( $(find "$findings" -type f | wc -l) == before ))
}

# Surefire names a regression run of a seed <method>(byte[])[n]: [1] is the empty input Jazzer always
# adds, then come the files under <TestClass>Inputs/<method>/ sorted by path.
seeds() {
  local d cls method i f
  for d in "$ROOT"/mlops-*/src/test/resources/dev/mlops/*/fuzz/*Inputs/*/; do
    d="${d%/}"
    cls="$(basename "$(dirname "$d")")"
    cls="${cls%Inputs}"
    method="$(basename "$d")"
    echo "$cls.$method(byte[])[1] <empty input>"
    i=2
    while IFS= read -r f; do
      echo "$cls.$method(byte[])[$i] ${f#"$d"/}"
      i=$((i + 1))
    done < <(find "$d" -type f | LC_ALL=C sort)
  done
}

[[ $# -ge 1 ]] || usage
case "$1" in
  list)
    targets
    ;;
  seeds)
    seeds
    ;;
  all)
    [[ $# -eq 2 ]] || usage
    status=0
    while read -r module class method; do
      run_one "$module" "$class" "$method" "$2" || status=1
    done < <(targets)
    exit "$status"
    ;;
  *)
    [[ $# -eq 4 ]] || usage
    run_one "$1" "$2" "$3" "$4"
    ;;
esac
