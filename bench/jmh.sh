#!/usr/bin/env bash
# JMH micro-benchmarks of the hot path (module fhirstream-jmh).
#   bench/jmh.sh                       all benchmarks, defaults from the annotations (~2 min)
#   bench/jmh.sh -prof gc              with allocation per operation (gc.alloc.rate.norm, B/op)
#   bench/jmh.sh -prof gc decode       a subset: JMH takes a regexp of benchmark names
#   bench/jmh.sh -h                    JMH's options
# Every argument goes to JMH unchanged. Figures are only comparable on the same, idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests -pl fhirstream-jmh -am package
exec java -jar fhirstream-jmh/target/benchmarks.jar "$@"
