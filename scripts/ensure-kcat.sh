#!/usr/bin/env bash
# Installs kcat (Debian package) when missing, for the test that reads our topics with an external
# Kafka client. Run by Maven before the integration tests; never fails the build itself: the test
# reports clearly if kcat is still unavailable.
set -u
command -v kcat >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing kcat (Debian package) for the Kafka interoperability test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat) >/dev/null 2>&1 \
    || echo "could not install kcat; KcatInteropIT will report it"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kcat) >/dev/null 2>&1 \
    || echo "could not install kcat; KcatInteropIT will report it"
else
  echo "kcat is not installed and cannot be installed here (not root); KcatInteropIT will be skipped"
fi
exit 0
