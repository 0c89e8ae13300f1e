#!/usr/bin/env bash
# The store comparison of docs/PERFORMANCE.md: starts each store's test server as its own process
# (embedded PostgreSQL; the Cosmos DB and MongoDB test servers), then runs
#   ./fhirstream bench --store sqlite --store postgres … --set <their connection settings>
# which drains the same documents from Kafka through each sink and measures each driver alone.
# Usage: bench/stores.sh [--report docs/PERFORMANCE.md] [--store-documents N] [other bench options]
# STORES="sqlite postgres" limits the stores. Servers are stopped by pid when the script ends.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
stores="${STORES:-sqlite postgres cosmos mongodb}"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

# A module's test server: its main prints key=value settings (added to the bench's --set), then
# serves until stdin closes or TERM.
start_server() { # module main-class
  local module="$1" main="$2" cp
  ./mvnw -B -q -o test-compile -pl "$module" >&2
  ./mvnw -B -q -o dependency:build-classpath -pl "$module" -Dmdep.includeScope=test \
    -Dmdep.outputFile="$work/$module.cp" >&2
  cp="$module/target/test-classes:$module/target/classes:$(cat "$work/$module.cp")"
  mkfifo "$work/$module.in"
  java -cp "$cp" ${STORE_SERVER_JAVA_OPTS:-} "$main" <"$work/$module.in" >"$work/$module.out" 2>"$work/$module.err" &
  pids+=("$!")
  exec {hold}>"$work/$module.in" # keeps the server's stdin open until the script exits
  for _ in $(seq 1 120); do
    grep -q '=' "$work/$module.out" 2>/dev/null && sleep 1 && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/$module.err" >&2; exit 1; }
    sleep 1
  done
  while read -r line; do settings+=(--set "$line"); done < <(grep '=' "$work/$module.out")
}

./fhirstream --version >/dev/null # builds the jar first if needed
settings=()
args=()
for store in $stores; do
  args+=(--store "$store")
  case "$store" in
    postgres) start_server fhirstream-store-postgres io.fhirstream.store.postgres.PostgresTestServer ;;
    cosmos) start_server fhirstream-store-cosmos io.fhirstream.store.cosmos.CosmosTestServer ;;
    mongodb) start_server fhirstream-store-mongodb io.fhirstream.store.mongodb.MongoTestServer ;;
  esac
done
# The Cosmos DB test server's certificate is self-signed.
FHIRSTREAM_JAVA_OPTS="${FHIRSTREAM_JAVA_OPTS:--Xmx1g} -DCOSMOS.EMULATOR_SERVER_CERTIFICATE_VALIDATION_DISABLED=true" \
  ./fhirstream bench --patients 0 --latency-duration 0s "${args[@]}" "${settings[@]}" "$@"
