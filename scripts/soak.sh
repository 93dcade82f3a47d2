#!/usr/bin/env bash
# Serving soak (mlops-serving-it DeploymentSoakTest, tag "soak") for a set time: 32 caller threads through
# dynamic batching with canary and shadow on, routes changed continuously, some callers cancelling or
# setting short deadlines. The default build runs it for 12 s; this runs only it, for longer.
#   scripts/soak.sh            # 600 s (the soak profile's default)
#   scripts/soak.sh 180        # 180 s
# The summary block (requests by outcome, p50/p99, sessions, shadow, Arrow allocator, heap, direct
# memory and RSS before and after) is printed to the console and kept in target/soak/soak.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
out=target/soak
mkdir -p "$out"
mvn -B -o -Psoak -Dmlops.soak.seconds="$seconds" -pl mlops-serving-it -am verify | tee "$out/build.txt"
sed -n '/==== serving soak/,/^====$/p' "$out/build.txt" | tee "$out/soak.txt"
