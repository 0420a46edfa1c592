#!/bin/sh
# Make headless Chromium available for the steward-report test (tests/report/test_chromium.py).
# Installs the Debian packages `chromium` and `chromium-driver` when missing (needs root, as
# CI images run). Without root: a note and exit 0 locally (the test then skips), exit 1 in CI.
# Usage: sh tests/report/ensure_chromium.sh   (the Makefile's test target calls it)
set -eu
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure_chromium: chromium is missing; as root run:" >&2
    echo "  apt-get update && apt-get install -y chromium chromium-driver" >&2
    case "${CI:-}" in
        1|true|TRUE|True|yes) exit 1 ;;
        *) exit 0 ;;
    esac
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
command -v chromium >/dev/null
