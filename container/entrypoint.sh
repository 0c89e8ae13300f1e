#!/usr/bin/env bash
# The container's entrypoint.
#   fhirstream-entrypoint [COMMAND [OPTIONS]]   runs the fhirstream CLI (default: run)
#   fhirstream-entrypoint healthcheck            exits 0 when /health/ready answers 200
# FHIRSTREAM_JAVA_OPTS replaces the JVM options (default: heap at 75 % of the container's memory,
# exit on OutOfMemoryError so the orchestrator restarts it); FHIRSTREAM_HOME is where the jar and
# lib/ are (default /opt/fhirstream); JAVA names the java executable (default: java on the PATH).
set -euo pipefail

home="${FHIRSTREAM_HOME:-/opt/fhirstream}"
java="${JAVA:-java}"

if [ "${1:-}" = "healthcheck" ]; then
  # No curl or wget in the image: bash's /dev/tcp speaks enough HTTP/1.0 for one status line.
  port="${FHIRSTREAM_OPS_PORT:-9464}"
  # (the braces keep the 2>/dev/null to this one connection attempt)
  { exec 3<>"/dev/tcp/127.0.0.1/${port}"; } 2>/dev/null || { echo "unhealthy: nothing listens on ${port}" >&2; exit 1; }
  printf 'GET /health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  status_line=""
  read -r -t 5 status_line <&3 || true
  exec 3<&-
  case "${status_line}" in
    *" 200 "*) exit 0 ;;
    *) echo "unhealthy: ${status_line:-no answer}" >&2; exit 1 ;;
  esac
fi

# No command, or only options: run the pipeline.
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- run "$@"
fi

# shellcheck disable=SC2086 # the options are several words on purpose
exec "${java}" ${FHIRSTREAM_JAVA_OPTS:--XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError} \
  -jar "${home}/fhirstream.jar" "$@"
