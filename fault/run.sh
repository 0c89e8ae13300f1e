#!/usr/bin/env bash
# Runs the fault harness: `fault/run.sh [short|full] [report.md]`.
# The pipeline, the Kafka broker and the demo FHIR server run as separate processes on 127.0.0.1.
#   FAULT_STORE=postgres   the pipelines write to a real PostgreSQL (started and stopped here)
#                          instead of SQLite; the verdicts read it back through its own reader
#   FAULT_ONLY=kill-9,poison runs only those scenarios.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests install
cp="fhirstream-fault/target/classes:fhirstream-fault/target/lib/*"
exec java -Xmx1g ${FAULT_ONLY:+-Dfhirstream.fault.only=$FAULT_ONLY} \
  -Dfhirstream.fault.store="${FAULT_STORE:-sqlite}" \
  -Dfhirstream.jar=fhirstream-cli/target/fhirstream.jar -cp "$cp" \
  io.fhirstream.fault.Harness "${1:-short}" ${2:+"$2"}
