#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 for the tests that need a real server: trust auth on 127.0.0.1
# only, and a `tally_test` database. Idempotent; run as root (CI and developer machines here).
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
hba=/etc/postgresql/$version/main/pg_hba.conf
line='host all all 127.0.0.1/32 trust # tally tests'
grep -qF "$line" "$hba" || sed -i "1i $line" "$hba"
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main reload
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -q && break; sleep 1; done
psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'tally_test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE tally_test' >/dev/null
echo "PostgreSQL $version ready on 127.0.0.1:5432 (database tally_test)"
