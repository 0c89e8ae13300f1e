#!/usr/bin/env bash
# Installs headless Chromium and its driver (Debian packages chromium, chromium-driver) when missing,
# for the test that opens the operator dashboard in a real browser. Run by Maven before the
# integration tests; never fails the build itself: the test reports clearly if they are still missing.
set -u
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver (Debian packages) for the dashboard browser test..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
    || echo "could not install chromium; DashboardBrowserIT will report it"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null 2>&1 \
    || echo "could not install chromium; DashboardBrowserIT will report it"
else
  echo "chromium is not installed and cannot be installed here (not root); DashboardBrowserIT will be skipped"
fi
exit 0
