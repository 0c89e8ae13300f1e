#!/usr/bin/env bash
# JMH micro-benchmarks of the hot path (fhirstream-bench, package io.fhirstream.bench.jmh).
#   bench/jmh.sh                       all benchmarks, defaults from the annotations (~2 min)
#   bench/jmh.sh -prof gc              with allocation per operation (gc.alloc.rate.norm, B/op)
#   bench/jmh.sh -prof gc decode       a subset: JMH takes a regexp of benchmark names
#   bench/jmh.sh -h                    JMH's options
# Every argument goes to JMH unchanged. Figures are only comparable on the same, idle machine.
# The benchmarks run from the CLI's jar and lib/ (the bench module and JMH are on its class path).
set -euo pipefail
cd "$(dirname "$0")/.."
./fhirstream --version >/dev/null # builds the jar first if needed
exec java -cp "fhirstream-cli/target/fhirstream.jar:fhirstream-cli/target/lib/*" org.openjdk.jmh.Main "$@"
