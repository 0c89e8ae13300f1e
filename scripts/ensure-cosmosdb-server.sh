#!/usr/bin/env bash
# Installs @vercel/cosmosdb-server (an independent implementation of the Cosmos DB REST API, run
# with node) into a cache directory outside the source tree, for the Cosmos DB store's tests.
# Run by Maven before those tests; idempotent (does nothing when the pinned version is there).
#
#   scripts/ensure-cosmosdb-server.sh [directory]
#
# The directory defaults to $FHIRSTREAM_COSMOSDB_SERVER_HOME, else ~/.cache/fhirstream/cosmosdb-server.
# Unlike kcat, the Cosmos DB tests cannot run without it: a failure here fails the build with the
# reason, rather than letting the tests skip silently.
set -euo pipefail

VERSION=1.0.1
DIR="${1:-${FHIRSTREAM_COSMOSDB_SERVER_HOME:-$HOME/.cache/fhirstream/cosmosdb-server}}"
MAIN="$DIR/node_modules/@vercel/cosmosdb-server/lib/cli.js"
STAMP="$DIR/.installed-$VERSION"

if [ -f "$STAMP" ] && [ -f "$MAIN" ]; then
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing node and npm (Debian packages) for the Cosmos DB store's tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >/dev/null 2>&1 || true
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ensure-cosmosdb-server: node and npm are required to run the Cosmos DB store's tests" \
    "(they start @vercel/cosmosdb-server@$VERSION); install Node.js 20 or newer" >&2
  exit 1
fi

echo "installing @vercel/cosmosdb-server@$VERSION into $DIR ..."
mkdir -p "$DIR"
# A package.json of our own keeps npm from walking up into some other project's node_modules.
[ -f "$DIR/package.json" ] || echo '{"name":"fhirstream-cosmosdb-server","private":true}' > "$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --omit=dev --save-exact \
  "@vercel/cosmosdb-server@$VERSION" >/dev/null
if [ ! -f "$MAIN" ]; then
  echo "ensure-cosmosdb-server: npm installed @vercel/cosmosdb-server but $MAIN is missing" >&2
  exit 1
fi
touch "$STAMP"
echo "@vercel/cosmosdb-server@$VERSION ready in $DIR"
