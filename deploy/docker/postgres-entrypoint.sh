#!/usr/bin/env bash
# Entry point of tether-local/postgres: what the official postgres image does on the
# settings Tether's compose file and tests use, so it can stand in for it.
#   POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE   the superuser's password (required)
#   POSTGRES_USER (postgres), POSTGRES_DB (= user), PGDATA (/var/lib/postgresql/data)
# At the first start it makes the cluster in PGDATA, with password (scram) authentication
# for network clients; then it runs postgres (with any "-c name=value" arguments given)
# as the postgres user, in the foreground.
set -euo pipefail

if [ "${1:-}" = postgres ] || [ "${1:0:1}" = - ]; then
	[ "${1:-}" = postgres ] && shift
else
	exec "$@"
fi

if [ "$(id -u)" -eq 0 ]; then
	install -d -o postgres -g postgres -m 0700 "$PGDATA"
	install -d -o postgres -g postgres /var/run/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi

user=${POSTGRES_USER:-postgres}
db=${POSTGRES_DB:-$user}
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
	POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE")
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "${POSTGRES_PASSWORD:-}" ]; then
		echo "postgres-entrypoint: set POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE" >&2
		exit 1
	fi
	pwfile=$(mktemp)
	printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
	initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
	rm -f "$pwfile"
	echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
	echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
	if [ "$db" != postgres ]; then
		postgres --single -D "$PGDATA" postgres <<<"CREATE DATABASE \"$db\" OWNER \"$user\";" >/dev/null
	fi
	echo "postgres-entrypoint: made a cluster in $PGDATA (user $user, database $db)"
fi
exec postgres -D "$PGDATA" "$@"
