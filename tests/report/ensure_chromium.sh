#!/bin/sh
# Make headless Chromium available for the steward-report test (tests/report/test_chromium.py).
# Debian packages `chromium` and `chromium-driver`; needs root (CI images run as root).
# Usage: sh tests/report/ensure_chromium.sh   (the Makefile's test target calls it)
set -eu
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure_chromium: chromium is missing and this is not root; run as root:" >&2
    echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
command -v chromium >/dev/null
