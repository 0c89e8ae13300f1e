#!/usr/bin/env bash
# Runs the fault harness: `fault/run.sh [short|full] [report.md]`.
# The pipeline, the Kafka broker and the demo FHIR server run as separate processes on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests install
cp="fhirstream-fault/target/classes:fhirstream-fault/target/lib/*"
# FAULT_ONLY=kill-9,poison runs only those scenarios.
exec java -Xmx1g ${FAULT_ONLY:+-Dfhirstream.fault.only=$FAULT_ONLY} -Dfhirstream.jar=fhirstream-cli/target/fhirstream.jar -cp "$cp" \
  io.fhirstream.fault.Harness "${1:-short}" ${2:+"$2"}
