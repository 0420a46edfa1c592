#!/bin/sh
# Make Debian's JDBC drivers available to the Spark engine's database tests (tests/spark/test_jdbc.py):
# /usr/share/java/postgresql.jar and /usr/share/java/mariadb-java-client.jar, from the packages
# `libpostgresql-jdbc-java` and `libmariadb-java` (govkit downloads nothing at run time).
# Without root: a note and exit 0 locally (the tests then fail with a hint), exit 1 in CI.
# Usage: sh tests/spark/ensure_jdbc.sh   (the Makefile's unit target calls it)
set -eu
if [ -f /usr/share/java/postgresql.jar ] && [ -f /usr/share/java/mariadb-java-client.jar ]; then
    exit 0
fi
if [ "$(id -u)" != "0" ]; then
    echo "ensure_jdbc: the JDBC driver jars are missing; as root run:" >&2
    echo "  apt-get update && apt-get install -y libpostgresql-jdbc-java libmariadb-java" >&2
    case "${CI:-}" in
        1|true|TRUE|True|yes) exit 1 ;;
        *) exit 0 ;;
    esac
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libpostgresql-jdbc-java libmariadb-java >/dev/null
[ -f /usr/share/java/postgresql.jar ] && [ -f /usr/share/java/mariadb-java-client.jar ]
