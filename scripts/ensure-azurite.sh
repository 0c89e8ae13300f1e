#!/usr/bin/env bash
# Installs azurite (Microsoft's open-source emulator of the Azure Storage APIs, run
# with node) into a cache directory outside the source tree, for the $export-from-storage tests.
# Run by Maven before those tests; idempotent (does nothing when the pinned version is there).
#
#   scripts/ensure-azurite.sh [directory]
#
# The directory defaults to $FHIRSTREAM_AZURITE_HOME, else ~/.cache/fhirstream/azurite.
# Unlike kcat, the storage tests cannot run without it: a failure here fails the build with the
# reason, rather than letting the tests skip silently.
set -euo pipefail

VERSION=3.35.0
DIR="${1:-${FHIRSTREAM_AZURITE_HOME:-$HOME/.cache/fhirstream/azurite}}"
MAIN="$DIR/node_modules/azurite/dist/src/blob/main.js"
STAMP="$DIR/.installed-$VERSION"

if [ -f "$STAMP" ] && [ -f "$MAIN" ]; then
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing node and npm (Debian packages) for the $export-from-storage tests..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >/dev/null 2>&1 || true
  fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "ensure-azurite: node and npm are required to run the $export-from-storage tests" \
    "(they start azurite@$VERSION); install Node.js 20 or newer" >&2
  exit 1
fi

echo "installing azurite@$VERSION into $DIR ..."
mkdir -p "$DIR"
# A package.json of our own keeps npm from walking up into some other project's node_modules.
[ -f "$DIR/package.json" ] || echo '{"name":"fhirstream-azurite","private":true}' > "$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --omit=dev --save-exact \
  "azurite@$VERSION" >/dev/null
if [ ! -f "$MAIN" ]; then
  echo "ensure-azurite: npm installed azurite but $MAIN is missing" >&2
  exit 1
fi
touch "$STAMP"
echo "azurite@$VERSION ready in $DIR"
