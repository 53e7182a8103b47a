#!/usr/bin/env bash
# A fleet of agents renewing their workloads' certificates against one server on
# PostgreSQL, through the real agent API (bench/FleetSim.java): each simulated agent
# enrolls with its own join token and key and renews over its own mTLS identity, at the
# point the real agent renews (half the lifetime plus up to 10% jitter, counted from
# receipt), and syncs the bundle every 30 s. Setup (entries, join tokens, enrollment) is
# timed apart and not counted. Prints renewals attempted / succeeded / failed (by status),
# rate, p50/p99/max latency, the server's CPU time and peak RSS, and the database size
# and certificate and audit row counts before, every 30 s, and after. The server runs with
# a short certificate retention (FLEET_RETENTION, PT2M; job every
# FLEET_RETENTION_INTERVAL, PT30S) and audit retention (FLEET_AUDIT_RETENTION, PT2M, same
# interval), so that the row counts show whether the tables stay flat.
#
#   bench/fleet.sh [workloads=100000] [agents=10000] [cert-ttl=5m] [minutes=10]
#
# Workloads are spread evenly over the agents. Needs psql and createdb, PostgreSQL on
# 127.0.0.1:5432 (trust auth, user postgres); a fresh database fleet_<pid> is created and
# dropped at the end (FLEET_KEEP_DB=1 keeps it). FLEET_WORKERS (64): threads that run all
# agents' requests. Builds Tether if needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
workloads=${1:-100000}
agents=${2:-10000}
ttl=${3:-5m}
minutes=${4:-10}
port=${TETHER_BENCH_PORT:-18443}
management_port=${TETHER_BENCH_MANAGEMENT_PORT:-18491}
database=fleet_$$
for tool in psql createdb dropdb; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done

. "$root/bench/lib.sh"
createdb -h 127.0.0.1 -U postgres "$database"
fleet_cleanup() {
	bench_cleanup
	if [ "${FLEET_KEEP_DB:-0}" != 1 ]; then
		dropdb -h 127.0.0.1 -U postgres --if-exists "$database" || true
	else
		echo "bench: database $database kept" >&2
	fi
}
trap fleet_cleanup EXIT

# system properties rather than environment variables: the same spelling as in
# operations.md, whether a setting is bound or read with @Value
# every simulated agent enrolls from this one host: the per-source enrollment limit,
# sized for one agent per host, would refuse most of them
export TETHER_JAVA_OPTS="${TETHER_JAVA_OPTS:-} -Dtether.issuance.min-ttl=$ttl \
 -Dtether.jobs.certificate-retention.retention=${FLEET_RETENTION:-PT2M} \
 -Dtether.jobs.certificate-retention.interval=${FLEET_RETENTION_INTERVAL:-PT30S} \
 -Dtether.jobs.audit-retention.retention=${FLEET_AUDIT_RETENTION:-PT2M} \
 -Dtether.jobs.audit-retention.interval=${FLEET_RETENTION_INTERVAL:-PT30S} \
 -Dtether.throttle.enrollment.enabled=false"
start_tether "$port" SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$database?user=postgres" \
	TETHER_KEK="$(head -c 32 /dev/urandom | base64)" TETHER_REVOCATION_HTTP_PORT=-1 \
	MANAGEMENT_SERVER_PORT="$management_port"
server_pid=${pids[-1]}

# Deleted rows leave their space to be reused only once vacuumed. Where autovacuum is off
# (PostgreSQL's default is on, some development machines turn it off), a plain VACUUM of
# the two tables retention deletes from, every 30 s, stands in for it (FLEET_VACUUM=0
# leaves the database to itself); without either, the database grows with the rows flat.
if [ "$(psql -h 127.0.0.1 -U postgres -d "$database" -Atc 'SHOW autovacuum')" = off ] &&
	[ "${FLEET_VACUUM:-1}" = 1 ]; then
	echo "bench: autovacuum is off in this PostgreSQL: VACUUM certificate, audit_event every 30 s instead" >&2
	while sleep 30; do
		psql -q -h 127.0.0.1 -U postgres -d "$database" -c 'VACUUM certificate, audit_event' 2>/dev/null || true
	done &
	pids+=($!)
fi
admin="$work/tether/admin"

"$JAVA_HOME/bin/java" -Xmx${FLEET_HEAP:-3g} "$root/bench/FleetSim.java" --url="https://localhost:$port" \
	--ca="$admin/ca-bundle.pem" --cert="$admin/admin-cert.pem" --key="$admin/admin-key.pem" \
	--workloads="$workloads" --agents="$agents" --ttl="$ttl" --minutes="$minutes" \
	--workers="${FLEET_WORKERS:-64}" --database="$database" --server-pid="$server_pid" \
	--clk-tck="$(getconf CLK_TCK)"
grep -E 'ERROR|Exception' "$work/tether.log" | sort | uniq -c | sort -rn | head -20 |
	sed 's/^/server log: /' || true
