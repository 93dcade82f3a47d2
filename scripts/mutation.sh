#!/usr/bin/env bash
# Mutation testing with PIT (the "mutation" profile of the parent POM) on mlops-core and mlops-validation.
#   scripts/mutation.sh                       # both modules, every class of each
#   scripts/mutation.sh mlops-core            # one module
#   scripts/mutation.sh mlops-core 'dev.mlops.core.io.ValueParser,dev.mlops.core.Row'   # some classes
# -am builds what a module needs; in a narrowed run those modules have nothing to mutate and PIT skips
# them, and surefire's own run is skipped (PIT runs the suite green first anyway).
# Reports: <module>/target/pit-reports/index.html and mutations.xml, overwritten by each run.
# Slow: a whole module takes tens of minutes with 2 threads (mlops-core: 42 min on a busy 2-core machine).
set -euo pipefail
cd "$(dirname "$0")/.."
modules="${1:-mlops-core,mlops-validation}"
args=()
if [[ $# -ge 2 ]]; then
  args+=("-Dpit.targetClasses=$2" "-Dmaven.test.skip.exec=true")
fi
mvn -B -o -Pmutation -pl "$modules" -am verify "${args[@]}"
for m in ${modules//,/ }; do
  if [[ -f "$m/target/pit-reports/index.html" ]]; then
    echo "== $m: $m/target/pit-reports/index.html"
  fi
done
