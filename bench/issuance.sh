#!/usr/bin/env bash
# Issuance throughput, three CAs doing the same work for the same load generator
# (bench/IssuanceLoad.java: same CSR, connections reused, warm-up then measure), in one
# run on this machine:
#   tether          Tether's POST /v1/certificates: mTLS, policy, the certificate and its
#                   audit event committed to PostgreSQL before the response
#   cfssl-mtls-pg   cfssl serve's /api/v1/cfssl/sign with mutual TLS and a PostgreSQL
#                   certdb (each certificate inserted before the response)
#   cfssl-bare      cfssl serve over plain HTTP with no database
#   tether-half-load  Tether again right after, open loop at half the rate it reached:
#                   the latency of a server that is not saturated
# and the ratios tether/cfssl-mtls-pg (like for like) and tether/cfssl-bare. cfssl logs
# warnings only, as Tether does here (its default logs a line per step of every request).
#
#   bench/issuance.sh [concurrency=16] [seconds=20]
#
# Needs openssl, psql, cfssl (apt-get install golang-cfssl) and a PostgreSQL that lets
# TETHER_BENCH_PGUSER (postgres) in without a password on TETHER_BENCH_PGHOST:PGPORT
# (127.0.0.1:5432); each run creates two fresh databases and drops them at exit. Builds
# Tether if needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
concurrency=${1:-16}
seconds=${2:-20}
tether_port=${TETHER_BENCH_PORT:-18443}
cfssl_port=${CFSSL_BENCH_PORT:-18888}
cfssl_tls_port=${CFSSL_BENCH_TLS_PORT:-18889}
pg_host=${TETHER_BENCH_PGHOST:-127.0.0.1}
pg_port=${TETHER_BENCH_PGPORT:-5432}
pg_user=${TETHER_BENCH_PGUSER:-postgres}
command -v cfssl >/dev/null || { echo "bench: cfssl is missing: apt-get install golang-cfssl" >&2; exit 1; }
command -v psql >/dev/null || { echo "bench: psql is missing: apt-get install postgresql-client" >&2; exit 1; }

. "$root/bench/lib.sh"

pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" "$@"; }
tether_db="tether_bench_$$"
cfssl_db="cfssl_bench_$$"
drop_databases() {
	pg -d postgres -c "DROP DATABASE IF EXISTS $tether_db" -c "DROP DATABASE IF EXISTS $cfssl_db" 2>/dev/null || true
}
trap 'bench_cleanup; drop_databases' EXIT
pg -d postgres -c "CREATE DATABASE $tether_db" -c "CREATE DATABASE $cfssl_db"
# cfssl's certdb schema for PostgreSQL (certdb/pg/migrations in cfssl's source): the
# columns cfssl serve inserts into when it signs
pg -d "$cfssl_db" <<'SQL'
CREATE TABLE certificates (
  serial_number            bytea NOT NULL,
  authority_key_identifier bytea NOT NULL,
  ca_label                 bytea,
  status                   bytea NOT NULL,
  reason                   int,
  expiry                   timestamptz,
  revoked_at               timestamptz,
  pem                      bytea NOT NULL,
  PRIMARY KEY (serial_number, authority_key_identifier)
);
CREATE TABLE ocsp_responses (
  serial_number            bytea NOT NULL,
  authority_key_identifier bytea NOT NULL,
  body                     bytea NOT NULL,
  expiry                   timestamptz,
  PRIMARY KEY (serial_number, authority_key_identifier),
  FOREIGN KEY (serial_number, authority_key_identifier)
    REFERENCES certificates (serial_number, authority_key_identifier)
);
SQL

openssl ecparam -genkey -name prime256v1 -noout -out "$work/workload-key.pem"
openssl req -new -key "$work/workload-key.pem" -subj "/" -out "$work/workload.csr"

# an external database wants a key-encryption key supplied, not generated next to the data
start_tether "$tether_port" SPRING_DATASOURCE_URL="jdbc:postgresql://$pg_host:$pg_port/$tether_db" \
	SPRING_DATASOURCE_USERNAME="$pg_user" TETHER_KEK="$(openssl rand -base64 32)"
admin="$work/tether/admin"

# cfssl's signing CA, shared by both cfssl servers
openssl ecparam -genkey -name prime256v1 -noout -out "$work/cfssl-ca-key.pem"
openssl req -x509 -new -key "$work/cfssl-ca-key.pem" -subj "/O=Bench/CN=cfssl CA" -days 30 \
	-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-out "$work/cfssl-ca.pem"
cat >"$work/cfssl.json" <<'JSON'
{"signing": {"default": {"expiry": "1h", "usages": ["digital signature", "client auth"]}}}
JSON

# mutual TLS for cfssl: a TLS CA, a server certificate for localhost and a client one
openssl ecparam -genkey -name prime256v1 -noout -out "$work/tls-ca-key.pem"
openssl req -x509 -new -key "$work/tls-ca-key.pem" -subj "/CN=bench TLS CA" -days 2 \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" -out "$work/tls-ca.pem"
tls_leaf() { # NAME CN EXTENSIONS
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1-key.pem"
	openssl req -new -key "$work/$1-key.pem" -subj "/CN=$2" |
		openssl x509 -req -CA "$work/tls-ca.pem" -CAkey "$work/tls-ca-key.pem" -set_serial "0x$(openssl rand -hex 16)" \
			-days 2 -extfile <(printf '%s\n' "basicConstraints=critical,CA:FALSE" "$3") -out "$work/$1.pem" 2>/dev/null
}
tls_leaf cfssl-server localhost "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
tls_leaf bench-client bench-client "extendedKeyUsage=clientAuth"
printf '{"driver":"postgres","data_source":"postgres://%s@%s:%s/%s?sslmode=disable"}\n' \
	"$pg_user" "$pg_host" "$pg_port" "$cfssl_db" >"$work/cfssl-db.json"

echo "bench: starting cfssl on $cfssl_port (plain HTTP, no database)" >&2
cfssl serve -loglevel 2 -address 127.0.0.1 -port "$cfssl_port" -ca "$work/cfssl-ca.pem" -ca-key "$work/cfssl-ca-key.pem" \
	-config "$work/cfssl.json" >"$work/cfssl.log" 2>&1 &
pids+=($!)
echo "bench: starting cfssl on $cfssl_tls_port (mutual TLS, PostgreSQL certdb)" >&2
cfssl serve -loglevel 2 -address 127.0.0.1 -port "$cfssl_tls_port" -ca "$work/cfssl-ca.pem" -ca-key "$work/cfssl-ca-key.pem" \
	-config "$work/cfssl.json" -tls-cert "$work/cfssl-server.pem" -tls-key "$work/cfssl-server-key.pem" \
	-mutual-tls-ca "$work/tls-ca.pem" -db-config "$work/cfssl-db.json" >"$work/cfssl-tls.log" 2>&1 &
pids+=($!)
tls_client=(--cacert "$work/tls-ca.pem" --cert "$work/bench-client.pem" --key "$work/bench-client-key.pem")
for _ in $(seq 1 30); do
	curl -sf -o /dev/null "http://127.0.0.1:$cfssl_port/api/v1/cfssl/info" -d '{}' &&
		curl -sf -o /dev/null "${tls_client[@]}" "https://localhost:$cfssl_tls_port/api/v1/cfssl/info" -d '{}' && break
	sleep 1
done

java="$JAVA_HOME/bin/java"
load() { "$java" "$root/bench/IssuanceLoad.java" --concurrency="$concurrency" --seconds="$seconds" \
	--csr="$work/workload.csr" "$@"; }
rate() { sed -n 's/.*throughput=\([0-9.]*\).*/\1/p' <<<"$1"; }
tether_load() { load --url="https://localhost:$tether_port/v1/certificates" --ca="$admin/ca-bundle.pem" \
	--cert="$admin/admin-cert.pem" --key="$admin/admin-key.pem" --spiffe-id=spiffe://tether.internal/bench/load "$@"; }
tether=$(tether_load --target=tether)
echo "$tether"
# latency at half the rate just measured, open loop (requests due evenly, latency from
# when each was due): what a client sees from a server that is not saturated
tether_half=$(tether_load --target=tether --label=tether-half-load --warmup-seconds=5 \
	--rate="$(awk -v t="$(rate "$tether")" 'BEGIN { printf "%.1f", t / 2 }')")
echo "$tether_half"
cfssl_mtls=$(load --target=cfssl --label=cfssl-mtls-pg --url="https://localhost:$cfssl_tls_port/api/v1/cfssl/sign" \
	--ca="$work/tls-ca.pem" --cert="$work/bench-client.pem" --key="$work/bench-client-key.pem")
echo "$cfssl_mtls"
cfssl_bare=$(load --target=cfssl --label=cfssl-bare --url="http://127.0.0.1:$cfssl_port/api/v1/cfssl/sign")
echo "$cfssl_bare"
stored=$(pg -d "$cfssl_db" -At -c "SELECT count(*) FROM certificates")
echo "cfssl certdb rows: $stored"
awk -v t="$(rate "$tether")" -v m="$(rate "$cfssl_mtls")" -v b="$(rate "$cfssl_bare")" 'BEGIN {
	printf "ratio tether/cfssl-mtls-pg = %.2f\nratio tether/cfssl-bare = %.2f\n", t / m, t / b }'
