#!/usr/bin/env bash
# Issuance throughput with the CA keys in a PKCS#11 token (SoftHSM2) against the
# KEK-sealed keys: Tether POST /v1/certificates on PostgreSQL, the same load generator
# as bench/issuance.sh (bench/IssuanceLoad.java: same CSR, connections reused, warm-up,
# then measure), first against a server with tether.ca.key-store=kek, then against one
# with pkcs11 on a fresh SoftHSM2 token, in one run. Prints both rates and their ratio.
#
#   bench/ca-key-issuance.sh [concurrency=16] [seconds=20]
#
# Needs softhsm2-util and libsofthsm2.so (apt-get install softhsm2), openssl, psql, and a
# PostgreSQL as for bench/issuance.sh (TETHER_BENCH_PGHOST/PGPORT/PGUSER); each run
# creates two fresh databases and drops them at exit. Builds Tether if needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
concurrency=${1:-16}
seconds=${2:-20}
port=${TETHER_BENCH_PORT:-18443}
pg_host=${TETHER_BENCH_PGHOST:-127.0.0.1}
pg_port=${TETHER_BENCH_PGPORT:-5432}
pg_user=${TETHER_BENCH_PGUSER:-postgres}
library=${TETHER_BENCH_PKCS11_LIBRARY:-/usr/lib/softhsm/libsofthsm2.so}
command -v softhsm2-util >/dev/null && [ -f "$library" ] ||
	{ echo "bench: SoftHSM2 is missing: apt-get install softhsm2" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench: psql is missing: apt-get install postgresql-client" >&2; exit 1; }

. "$root/bench/lib.sh"

pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" "$@"; }
databases=("tether_kek_$$" "tether_pkcs11_$$")
drop_databases() {
	for database in "${databases[@]}"; do pg -d postgres -c "DROP DATABASE IF EXISTS $database" 2>/dev/null || true; done
}
trap 'bench_cleanup; drop_databases' EXIT
for database in "${databases[@]}"; do pg -d postgres -c "CREATE DATABASE $database"; done

# a token of its own in the work directory
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$work/tokens" >"$work/softhsm2.conf"
export SOFTHSM2_CONF="$work/softhsm2.conf"
pin=$(openssl rand -hex 8)
softhsm2-util --init-token --free --label tether-bench --pin "$pin" --so-pin "$(openssl rand -hex 8)" >/dev/null

openssl ecparam -genkey -name prime256v1 -noout -out "$work/workload-key.pem"
openssl req -new -key "$work/workload-key.pem" -subj "/" -out "$work/workload.csr"
java="$JAVA_HOME/bin/java"

# measure KEY_STORE DATABASE [NAME=VALUE...]: a server with the CA keys there, loaded,
# then stopped; its data directory is emptied first, so that each makes its own CA
measure() {
	local store=$1 database=$2
	shift 2
	rm -rf "$work/tether"
	start_tether "$port" SPRING_DATASOURCE_URL="jdbc:postgresql://$pg_host:$pg_port/$database" \
		SPRING_DATASOURCE_USERNAME="$pg_user" TETHER_KEK="$(openssl rand -base64 32)" \
		TETHER_CA_KEY_STORE="$store" "$@"
	local admin="$work/tether/admin"
	"$java" "$root/bench/IssuanceLoad.java" --target=tether --label="tether-$store" --concurrency="$concurrency" \
		--seconds="$seconds" --csr="$work/workload.csr" --url="https://localhost:$port/v1/certificates" \
		--ca="$admin/ca-bundle.pem" --cert="$admin/admin-cert.pem" --key="$admin/admin-key.pem" \
		--spiffe-id=spiffe://tether.internal/bench/load
	kill "${pids[-1]}"
	wait "${pids[-1]}" 2>/dev/null || true
}
kek=$(measure kek "${databases[0]}")
echo "$kek"
pkcs11=$(measure pkcs11 "${databases[1]}" TETHER_CA_PKCS11_LIBRARY="$library" \
	TETHER_CA_PKCS11_SLOT_LIST_INDEX=0 TETHER_CA_PKCS11_PIN="$pin")
echo "$pkcs11"
rate() { sed -n 's/.*throughput=\([0-9.]*\).*/\1/p' <<<"$1"; }
awk -v k="$(rate "$kek")" -v p="$(rate "$pkcs11")" 'BEGIN { printf "ratio pkcs11/kek = %.2f\n", p / k }'
