#!/bin/sh
# Install the Debian packages that the browser and Spark JDBC tests need, when missing:
#   chromium, chromium-driver            (tests/report, tests/console: headless Chromium)
#   libpostgresql-jdbc-java, libmariadb-java  (tests/spark/test_jdbc.py: /usr/share/java/*.jar)
# govkit downloads nothing at run time; these come from Debian's archive. Needs root, as CI
# images run. Without root: a note and exit 0 locally (those tests then skip or fail with this
# hint), exit 1 in CI.
# Usage: sh tests/ensure_packages.sh   (the Makefile's unit target calls it)
set -eu
ready() {
    command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 &&
        [ -f /usr/share/java/postgresql.jar ] && [ -f /usr/share/java/mariadb-java-client.jar ]
}
PACKAGES="chromium chromium-driver libpostgresql-jdbc-java libmariadb-java"
if ready; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure_packages: test packages are missing; as root run:" >&2
    echo "  apt-get update && apt-get install -y $PACKAGES" >&2
    case "${CI:-}" in
        1|true|TRUE|True|yes) exit 1 ;;
        *) exit 0 ;;
    esac
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086  # one word per package
apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
ready
