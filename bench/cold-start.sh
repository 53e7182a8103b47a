#!/usr/bin/env bash
# Warm from the first request? Start-up to the first issued certificate, and the issuance
# rate of the first 15 s after start next to the rate once warm, in one run: the same
# load generator as bench/issuance.sh (bench/IssuanceLoad.java, 16 clients, one CSR,
# connections reused), with no warm-up for the cold round.
#
#   bench/cold-start.sh [concurrency=16] [seconds=15]
#
# Extra server arguments go in TETHER_BENCH_ARGS (e.g. "--tether.warmup.enabled=false").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
concurrency=${1:-16}
seconds=${2:-15}
port=${TETHER_BENCH_PORT:-18443}
. "$root/bench/lib.sh"

java="$JAVA_HOME/bin/java"
openssl ecparam -genkey -name prime256v1 -noout -out "$work/workload-key.pem"
openssl req -new -key "$work/workload-key.pem" -subj "/" -out "$work/workload.csr"
# compile the load generator first, so that its own start does not count
"$java" "$root/bench/IssuanceLoad.java" --help >/dev/null 2>&1 || true

started=$(date +%s%N)
echo "bench: starting Tether (H2) on $port" >&2
# shellcheck disable=SC2086
TETHER_DATA_DIR="$work/tether" "$root/bin/tether-server" --server.port="$port" --logging.level.root=warn \
	${TETHER_BENCH_ARGS:-} >"$work/tether.log" 2>&1 &
pids+=($!)
admin="$work/tether/admin"
for _ in $(seq 1 1800); do
	curl -s -o /dev/null --cacert "$admin/ca-bundle.pem" --cert "$admin/admin-cert.pem" --key "$admin/admin-key.pem" \
		"https://localhost:$port/v1/status" 2>/dev/null && break
	sleep 0.1
done
serving=$(date +%s%N)
load() {
	"$java" "$root/bench/IssuanceLoad.java" --target=tether --url="https://localhost:$port/v1/certificates" \
		--ca="$admin/ca-bundle.pem" --cert="$admin/admin-cert.pem" --key="$admin/admin-key.pem" \
		--csr="$work/workload.csr" --spiffe-id=spiffe://tether.internal/bench/load --concurrency="$concurrency" "$@"
}
python3 -c 'import json,sys; print(json.dumps({"csr": open(sys.argv[1]).read(), "spiffeId": "spiffe://tether.internal/bench/first", "ttl": "PT1H"}))' \
	"$work/workload.csr" >"$work/first.json"
curl -sf -o /dev/null --cacert "$admin/ca-bundle.pem" --cert "$admin/admin-cert.pem" --key "$admin/admin-key.pem" \
	-H 'Content-Type: application/json' --data @"$work/first.json" "https://localhost:$port/v1/certificates"
firstDone=$(date +%s%N)
cold=$(load --warmup-seconds=0 --seconds="$seconds")
echo "cold (first ${seconds}s after serving): $cold"
warm=$(load --warmup-seconds="$seconds" --seconds="$seconds")
echo "warm: $warm"
rate() { sed -n 's/.*throughput=\([0-9.]*\).*/\1/p' <<<"$1"; }
awk -v s="$started" -v v="$serving" -v f="$firstDone" 'BEGIN { printf "start to serving: %.1f s; to the first certificate: %.1f s\n", (v - s) / 1e9, (f - s) / 1e9 }'
awk -v c="$(rate "$cold")" -v w="$(rate "$warm")" 'BEGIN { printf "cold/warm = %.2f\n", c / w }'
