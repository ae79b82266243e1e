#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# scripts/localdb must start, report and remove its cluster whatever PG* variables the caller has
# exported (an exported PGPORT='' once made the postmaster refuse to start).
#   localdb_hostile_env.sh LOCALDB STATE_DIR
set -euo pipefail
localdb=$1
state=$2

for port in '' 1; do
    export PGPORT=$port PGHOST=/nonexistent PGUSER=nobody PGDATABASE=x PGPASSWORD=wrong \
        PGSERVICE=no-such-service PGOPTIONS='-c search_path=nowhere' PGSSLMODE=verify-full \
        PGHOSTADDR=10.9.9.9 PGDATESTYLE=garbage PGCLIENTENCODING=bogus PGCONNECT_TIMEOUT=x
    "$localdb" start "$state"
    "$localdb" status "$state" || { echo "cluster not running after start (PGPORT='$port')" >&2; exit 1; }
    "$localdb" remove "$state"
    if [ -e "$state" ]; then echo "remove left $state behind (PGPORT='$port')" >&2; exit 1; fi
done
echo "localdb works with hostile PG* variables"
