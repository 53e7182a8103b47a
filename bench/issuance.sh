#!/usr/bin/env bash
# Issuance throughput: Tether's POST /v1/certificates (H2, mTLS, policy, DB record and audit
# before the response) against cfssl's /api/v1/cfssl/sign (a peer CA, same CSR, same load
# generator), measured in one run on this machine.
#
#   bench/issuance.sh [concurrency=16] [seconds=20]
#
# Needs openssl and cfssl (apt-get install golang-cfssl); builds Tether if needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
concurrency=${1:-16}
seconds=${2:-20}
tether_port=${TETHER_BENCH_PORT:-18443}
cfssl_port=${CFSSL_BENCH_PORT:-18888}
command -v cfssl >/dev/null || { echo "bench: cfssl is missing: apt-get install golang-cfssl" >&2; exit 1; }

. "$root/bench/lib.sh"

openssl ecparam -genkey -name prime256v1 -noout -out "$work/workload-key.pem"
openssl req -new -key "$work/workload-key.pem" -subj "/" -out "$work/workload.csr"

start_tether "$tether_port"
admin="$work/tether/admin"

echo "bench: starting cfssl on $cfssl_port" >&2
openssl ecparam -genkey -name prime256v1 -noout -out "$work/cfssl-ca-key.pem"
openssl req -x509 -new -key "$work/cfssl-ca-key.pem" -subj "/O=Bench/CN=cfssl CA" -days 30 \
	-addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
	-out "$work/cfssl-ca.pem"
cat >"$work/cfssl.json" <<'JSON'
{"signing": {"default": {"expiry": "1h", "usages": ["digital signature", "client auth"]}}}
JSON
cfssl serve -address 127.0.0.1 -port "$cfssl_port" -ca "$work/cfssl-ca.pem" -ca-key "$work/cfssl-ca-key.pem" \
	-config "$work/cfssl.json" >"$work/cfssl.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 30); do
	curl -s -o /dev/null "http://127.0.0.1:$cfssl_port/api/v1/cfssl/info" -d '{}' && break
	sleep 1
done

java="$JAVA_HOME/bin/java"
tether=$("$java" "$root/bench/IssuanceLoad.java" --target=tether \
	--url="https://localhost:$tether_port/v1/certificates" --ca="$admin/ca-bundle.pem" \
	--cert="$admin/admin-cert.pem" --key="$admin/admin-key.pem" --csr="$work/workload.csr" \
	--spiffe-id=spiffe://tether.internal/bench/load --concurrency="$concurrency" --seconds="$seconds")
echo "$tether"
cfssl=$("$java" "$root/bench/IssuanceLoad.java" --target=cfssl \
	--url="http://127.0.0.1:$cfssl_port/api/v1/cfssl/sign" --csr="$work/workload.csr" \
	--concurrency="$concurrency" --seconds="$seconds")
echo "$cfssl"
rate() { sed -n 's/.*throughput=\([0-9.]*\).*/\1/p' <<<"$1"; }
awk -v t="$(rate "$tether")" -v c="$(rate "$cfssl")" 'BEGIN { printf "ratio tether/cfssl = %.2f\n", t / c }'
