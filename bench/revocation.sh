#!/usr/bin/env bash
# What revocation costs and how fast it travels, against a running server on PostgreSQL
# (plain-HTTP revocation listener), in one run:
#  1. OCSP answers per second for one certificate (the cached answer), with wrk over
#     keep-alive connections, next to nginx serving the same answer's bytes from a file
#     (OpenSSL's `openssl ocsp -port` responder closes every connection, which wrk cannot
#     measure);
#  2. the time from a revocation's response to the first `revoked` OCSP answer, for
#     ROUNDS revocations;
#  3. how long publishing a CRL takes with REVOKED unexpired revoked certificates on it
#     (rows inserted straight into PostgreSQL, then one revocation through the API).
#
#   bench/revocation.sh [seconds=15] [revoked=100000] [rounds=10]
#
# Needs wrk, nginx, curl, openssl, psql, python3 with cryptography, PostgreSQL on 127.0.0.1:5432
# (trust auth, user postgres). Builds Tether if needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
seconds=${1:-15}
revoked=${2:-100000}
rounds=${3:-10}
port=${TETHER_BENCH_PORT:-18443}
http_port=${TETHER_BENCH_HTTP_PORT:-18480}
peer_port=${TETHER_BENCH_PEER_PORT:-18481}
database=tether_bench_revocation
for tool in wrk nginx curl openssl psql python3; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done

. "$root/bench/lib.sh"
psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $database" -c "create database $database"
start_tether "$port" SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$database?user=postgres" \
	TETHER_KEK="$(head -c 32 /dev/urandom | base64)" TETHER_REVOCATION_HTTP_PORT="$http_port" \
	LOGGING_LEVEL_IO_TETHER_SERVER_REVOCATION=info
export TETHER_CONFIG="$work/tether/admin/config.yaml"
admin=(--cert "$work/tether/admin/admin-cert.pem" --key "$work/tether/admin/admin-key.pem"
	--cacert "$work/tether/admin/ca-bundle.pem")
cd "$work"

# issue SPIFFE-PATH: a one-off leaf; writes SPIFFE-PATH.pem (leaf) and issuer.pem
issue() {
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" -subj "/CN=$1" \
		-addext "subjectAltName=URI:spiffe://tether.internal/bench/$1" -out "$1.csr" 2>/dev/null
	python3 - "$1" >"$1.json" <<'PY'
import json, sys
print(json.dumps({"csr": open(sys.argv[1] + ".csr").read(), "spiffeId": "spiffe://tether.internal/bench/" + sys.argv[1]}))
PY
	curl -sf "${admin[@]}" -H 'Content-Type: application/json' --data @"$1.json" \
		"https://localhost:$port/v1/certificates" >"$1.out"
	python3 - "$1" <<'PY'
import json, re, sys
chain = json.load(open(sys.argv[1] + ".out"))["certificateChain"]
blocks = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", chain, re.S)
open(sys.argv[1] + ".pem", "w").write(blocks[0])
open("issuer.pem", "w").write(blocks[1])
PY
}

serial_of() { openssl x509 -in "$1" -noout -serial | cut -d= -f2; }

# 1. OCSP throughput: Tether's cached answer, and OpenSSL's responder
issue leaf
openssl ocsp -issuer issuer.pem -cert leaf.pem -no_nonce -reqout leaf.req >/dev/null 2>&1
encoded=$(base64 -w0 leaf.req | python3 -c "import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read(), safe=''))")
curl -sf "http://127.0.0.1:$http_port/ocsp/$encoded" -o leaf.resp
openssl ocsp -respin leaf.resp -issuer issuer.pem -CAfile "$work/tether/admin/ca-bundle.pem" -cert leaf.pem 2>&1 |
	grep -q 'leaf.pem: good' || { echo "bench: Tether's OCSP answer is not good" >&2; exit 1; }

# the peer: nginx serving the very bytes of Tether's answer from a file, the floor of
# any responder that answers over HTTP
mkdir -p peer/logs peer/ocsp
chmod 755 "$work" peer peer/ocsp && chmod 644 leaf.resp
cp leaf.resp peer/ocsp/answer
cat >peer/nginx.conf <<NGINX
worker_processes 2;
pid $work/peer/nginx.pid;
error_log $work/peer/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$peer_port;
		location /ocsp/ { default_type application/ocsp-response; root $work/peer; try_files /ocsp/answer =404; }
	}
}
NGINX
nginx -p "$work/peer" -c "$work/peer/nginx.conf" -g 'daemon off;' &
pids+=($!)
sleep 1
curl -sf "http://127.0.0.1:$peer_port/ocsp/$encoded" -o peer.resp
cmp -s peer.resp leaf.resp || { echo "bench: nginx does not serve the answer" >&2; exit 1; }

rate() { awk '/Requests\/sec/ { print $2 }'; }
echo "bench: warming up Tether's responder (10 s)" >&2
wrk -t2 -c16 -d10s "http://127.0.0.1:$http_port/ocsp/$encoded" >/dev/null
tether_rate=$(wrk -t2 -c16 -d"${seconds}s" --latency "http://127.0.0.1:$http_port/ocsp/$encoded" | tee tether.wrk | rate)
peer_rate=$(wrk -t2 -c16 -d"${seconds}s" --latency "http://127.0.0.1:$peer_port/ocsp/$encoded" | tee peer.wrk | rate)
tether_errors=$(grep -c 'Non-2xx\|Socket errors' tether.wrk || true)

# 2. revocation to the first revoked answer
delays=()
for round in $(seq 1 "$rounds"); do
	issue "r$round"
	openssl ocsp -issuer issuer.pem -cert "r$round.pem" -no_nonce -reqout "r$round.req" >/dev/null 2>&1
	curl -sf -H 'Content-Type: application/ocsp-request' --data-binary @"r$round.req" \
		"http://127.0.0.1:$http_port/ocsp" -o /dev/null
	delays+=("$(python3 - "$round" "$(serial_of "r$round.pem")" "$port" "$http_port" "$work" <<'PY'
import ssl, sys, time, urllib.request
from cryptography.x509 import ocsp
round_, serial, port, http_port, work = sys.argv[1:]
admin = ssl.create_default_context(cafile=work + "/tether/admin/ca-bundle.pem")
admin.load_cert_chain(work + "/tether/admin/admin-cert.pem", work + "/tether/admin/admin-key.pem")
body = open("r%s.req" % round_, "rb").read()
request = urllib.request.Request("https://localhost:%s/v1/certificates/%s/revoke" % (port, serial.lower()),
    data=b'{"reason":"keyCompromise"}', headers={"Content-Type": "application/json"})
urllib.request.urlopen(request, context=admin).read()
revoked = time.monotonic()
while True:
    answer = urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%s/ocsp" % http_port, data=body,
        headers={"Content-Type": "application/ocsp-request"})).read()
    if ocsp.load_der_ocsp_response(answer).certificate_status == ocsp.OCSPCertStatus.REVOKED:
        break
print("%.1f" % ((time.monotonic() - revoked) * 1000))
PY
)")
done

# 3. a CRL with many revoked certificates
intermediate=$(psql -qtA -h 127.0.0.1 -U postgres -d "$database" \
	-c "select id from authority where kind = 'INTERMEDIATE' and status = 'ACTIVE'")
psql -q -h 127.0.0.1 -U postgres -d "$database" -c "insert into certificate (serial_number, spiffe_id, dns_names,
	key_type, not_before, not_after, status, x5t_s256, issuer_id, requested_by, certificate_pem, created_at,
	revoked_at, revocation_reason)
	select '7f' || lpad(to_hex(i), 36, '0'), 'spiffe://tether.internal/bench/bulk', '', 'ec-p256', now(),
	now() + interval '1 day', 'REVOKED', rpad(md5(i::text), 43, 'x'), '$intermediate', 'bench', 'none', now(),
	now(), 'keyCompromise' from generate_series(1, $revoked) as i"
issue bulk
curl -sf "${admin[@]}" -H 'Content-Type: application/json' --data '{"reason":"superseded"}' \
	"https://localhost:$port/v1/certificates/$(serial_of bulk.pem | tr A-F a-f)/revoke" >/dev/null
for _ in $(seq 1 120); do
	grep -q "intermediate generation 1: $((revoked + rounds + 1)) revoked" "$work/tether.log" && break
	sleep 1
done
crl_line=$(grep "intermediate generation 1: $((revoked + rounds + 1)) revoked" "$work/tether.log" | tail -1)
key_id=$(openssl x509 -in issuer.pem -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' :' | tr A-F a-f)
fetch=$(curl -s -o crl.der -w '%{time_total}' "http://127.0.0.1:$http_port/crl/$key_id.crl")
entries=$(openssl crl -inform DER -in crl.der -noout -text | grep -c 'Serial Number' || true)

echo
echo "OCSP, one certificate, wrk -t2 -c16 for ${seconds}s after a 10 s warm-up:"
echo "  Tether (cached answer, plain HTTP): ${tether_rate} answers/s; p50/p99: $(awk '/ 50%/ {a=$2} / 99%/ {b=$2} END {print a "/" b}' tether.wrk); error lines: $tether_errors"
echo "  nginx serving the same answer from a file: ${peer_rate} answers/s; p50/p99: $(awk '/ 50%/ {a=$2} / 99%/ {b=$2} END {print a "/" b}' peer.wrk)"
echo "  ratio Tether / nginx: $(awk -v a="$tether_rate" -v b="$peer_rate" 'BEGIN { printf "%.2f", a / b }')"
echo "Revocation to first revoked OCSP answer, ${rounds} rounds (ms): ${delays[*]}"
echo "CRL with $((revoked + rounds + 1)) revoked certificates: ${crl_line#*: }"
echo "  fetched in ${fetch}s, $(stat -c %s crl.der) bytes, ${entries} entries per openssl"
