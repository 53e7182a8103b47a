#!/usr/bin/env bash
# The node agent's resident memory and its time to a first certificate, as started by
# bin/tether-agent against a running server (H2, 30 s certificates, so it renews every
# ~15 s), next to two floors measured in the same run: JVMs with the agent's options that
# only make one mutual-TLS request every 15 s (bench/TlsFloor.java), one with
# HttpsURLConnection as the agent does, one with the JDK's HttpClient.
#
#   bench/agent-memory.sh [minutes=5]
#
# Prints the time from launch to the first certificate on disk, then every 30 s the
# resident set (ps -o rss) of each, then median and peak after the first minute. Needs
# openssl and keytool; builds Tether if needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
minutes=${1:-5}
[ "$minutes" -ge 2 ] || { echo "bench: at least 2 minutes (the first one is warm-up)" >&2; exit 2; }
port=${TETHER_BENCH_PORT:-18443}
status_port=${TETHER_BENCH_STATUS_PORT:-19190}

. "$root/bench/lib.sh"
start_tether "$port" TETHER_ISSUANCE_MIN_TTL=PT30S
export TETHER_CONFIG="$work/tether/admin/config.yaml"

# waits until agent $1 (pid $2) has written its first certificate, at most 60 s
await_certificate() {
	for _ in $(seq 1 3000); do
		[ -s "$work/$1/out/cert.pem" ] && return 0
		kill -0 "$2" 2>/dev/null || break
		sleep 0.02
	done
	echo "bench: agent $1 wrote no certificate" >&2
	cat "$work/$1/agent.log" >&2
	exit 1
}

# agent.yaml for host $1 in $work/$1, one workload with PEM and PKCS#12 outputs
host() {
	local dir="$work/$1"
	mkdir -p "$dir/out"
	"$root/bin/tether" entry create "spiffe://tether.internal/bench/$1" --agent "$1" --dns localhost --ttl 30s >/dev/null
	"$root/bin/tether" token create --agent "$1" >"$dir/join-token"
	echo changeit >"$dir/out/password"
	cat >"$dir/agent.yaml" <<YAML
servers: [https://localhost:$port]
joinTokenFile: join-token
dataDir: data
status: {port: $2}
workloads:
  - spiffeId: spiffe://tether.internal/bench/$1
    outputs: {certificate: out/cert.pem, key: out/key.pem, bundle: out/bundle.pem,
              keystore: out/keystore.p12, truststore: out/truststore.p12, passwordFile: out/password}
YAML
}

# The launcher keeps a class-data archive made at the first clean exit; measure the
# agent as it runs from then on.
if [ ! -f "$root/agent/target/tether-agent.jsa" ] || [ "$root/agent/target/tether-agent.jsa" -ot "$root/agent/target/tether-agent.jar" ]; then
	echo "bench: one warm-up run of the agent (makes its class-data archive)" >&2
	host warmup 0
	(cd "$work/warmup" && exec "$root/bin/tether-agent" --config agent.yaml >agent.log 2>&1) &
	warm=$!
	pids+=("$warm")
	await_certificate warmup "$warm"
	sleep 3
	kill "$warm"
	wait "$warm" || true
fi

host host-1 "$status_port"
start=$(date +%s%N)
(cd "$work/host-1" && exec "$root/bin/tether-agent" --config agent.yaml >agent.log 2>&1) &
agent=$!
pids+=("$agent")
await_certificate host-1 "$agent"
first=$(($(date +%s%N) - start))
awk -v ns="$first" 'BEGIN { printf "first certificate on disk %.2f s after bin/tether-agent started\n", ns / 1e9 }'

# the floor: the agent's own JVM options (without its archive), the admin's credentials
admin="$work/tether/admin"
openssl pkcs12 -export -in "$admin/admin-cert.pem" -inkey "$admin/admin-key.pem" -passout pass:changeit \
	-out "$work/admin.p12"
keytool -importcert -noprompt -storetype PKCS12 -keystore "$work/trust.p12" -storepass changeit \
	-alias ca -file "$admin/ca-bundle.pem" >/dev/null 2>&1
"$JAVA_HOME/bin/javac" -d "$work/floor" "$root/bench/TlsFloor.java"
mapfile -d '' agent_args </proc/"$agent"/cmdline
opts=()
for arg in "${agent_args[@]:1}"; do
	[ "$arg" = "-jar" ] && break
	case "$arg" in -XX:+AutoCreateSharedArchive | -XX:SharedArchiveFile=*) continue ;; esac
	opts+=("$arg")
done
echo "JVM options (all three): ${opts[*]}"
floors=()
for client in urlconnection httpclient; do
	"$JAVA_HOME/bin/java" "${opts[@]}" -cp "$work/floor" TlsFloor "$client" "https://localhost:$port/v1/status" \
		"$work/admin.p12" changeit "$work/trust.p12" >"$work/floor-$client.log" 2>&1 &
	floors+=($!)
	pids+=($!)
done

rss() { ps -o rss= -p "$1" | tr -d ' '; }
printf '%8s %12s %22s %20s\n' seconds agent-KiB floor-urlconnection-KiB floor-httpclient-KiB
samples="$work/samples"
for i in $(seq 1 $((minutes * 2))); do
	sleep 30
	kill -0 "$agent" 2>/dev/null || { echo "bench: the agent exited" >&2; cat "$work/host-1/agent.log" >&2; exit 1; }
	line=$(printf '%8d %12d %22d %20d' $((i * 30)) "$(rss "$agent")" "$(rss "${floors[0]}")" "$(rss "${floors[1]}")")
	echo "$line"
	[ "$i" -gt 2 ] && echo "$line" >>"$samples"
done
renewals=$(grep -c "certificate renewed workload" "$work/host-1/agent.log" || true)
failures=$(grep -c " WARN \| ERROR " "$work/host-1/agent.log" || true)
echo "renewals: $renewals, warnings and errors in the agent log: $failures"
summary() {
	sort -n -k"$2" "$samples" | awk -v name="$1" -v col="$2" '{ a[NR] = $col }
		END { printf "%-20s after the first minute: median %.1f MiB, peak %.1f MiB\n", name, a[int((NR + 1) / 2)] / 1024, a[NR] / 1024 }'
}
summary agent 2
summary floor-urlconnection 3
summary floor-httpclient 4
