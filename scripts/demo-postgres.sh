#!/usr/bin/env bash
# The demo on PostgreSQL: starts the same embedded PostgreSQL the tests use (real binaries from
# Maven, on 127.0.0.1, in a temporary directory), runs `./fhirstream demo` against it with any
# options given, and stops the server by its pid when the demo ends.
#   scripts/demo-postgres.sh --record --duration 30s
# Inspect the data while it runs with psql and the URL printed below (user fhirstream_sink).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

./fhirstream --version >/dev/null # builds the jar first if needed
module=fhirstream-store-postgres
./mvnw -B -q -o test-compile -pl "$module" >&2 2>/dev/null || ./mvnw -B -q test-compile -pl "$module" >&2
./mvnw -B -q -o dependency:build-classpath -pl "$module" -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/cp" >&2
mkfifo "$work/in"
java -cp "$module/target/test-classes:$module/target/classes:$(cat "$work/cp")" \
  io.fhirstream.store.postgres.PostgresTestServer <"$work/in" >"$work/out" 2>"$work/err" &
server_pid=$!
exec {hold}>"$work/in" # the server runs until this script closes its stdin (or stops it)
for _ in $(seq 1 120); do
  grep -q 'password-file=' "$work/out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 1
done
settings=(--set store.type=postgres --set "store.postgres.schema=demo")
while read -r line; do settings+=(--set "$line"); done < <(grep '=' "$work/out")
echo "PostgreSQL at $(grep 'store.postgres.url=' "$work/out" | cut -d= -f2-)" >&2
./fhirstream demo "${settings[@]}" "$@"
