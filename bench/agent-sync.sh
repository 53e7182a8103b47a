#!/usr/bin/env bash
# What the agent's bundle sync costs the server: one agent (bin/tether-agent, one
# workload whose 1 h certificate does not renew during the run) against a running server
# (H2), through a TCP proxy that counts connections and bytes each way. Counts from the
# first certificate on disk (after the first, full sync) for SYNCS intervals.
#
#   bench/agent-sync.sh [interval-seconds=30] [syncs=10]
#
# Prints connections and bytes per sync, and what that makes for 1,000 agents. Needs
# python3; builds Tether if needed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
interval=${1:-30}
syncs=${2:-10}
port=${TETHER_BENCH_PORT:-18443}
proxy_port=${TETHER_BENCH_PROXY_PORT:-18444}

. "$root/bench/lib.sh"
start_tether "$port"
export TETHER_CONFIG="$work/tether/admin/config.yaml"

cat >"$work/proxy.py" <<'PY'
import json, socket, sys, threading, time
listen, target, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
counts = {"connections": 0, "up": 0, "down": 0}
lock = threading.Lock()
def pump(src, dst, key):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            with lock:
                counts[key] += len(data)
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
def serve():
    server = socket.create_server(("127.0.0.1", listen))
    while True:
        client, _ = server.accept()
        upstream = socket.create_connection(("127.0.0.1", target))
        with lock:
            counts["connections"] += 1
        threading.Thread(target=pump, args=(client, upstream, "up"), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client, "down"), daemon=True).start()
threading.Thread(target=serve, daemon=True).start()
while True:
    time.sleep(0.5)
    with lock:
        snapshot = json.dumps(counts)
    with open(out + ".tmp", "w") as f:
        f.write(snapshot)
    import os
    os.replace(out + ".tmp", out)
PY
python3 "$work/proxy.py" "$proxy_port" "$port" "$work/counts.json" &
pids+=($!)

dir="$work/host-1"
mkdir -p "$dir/out"
"$root/bin/tether" entry create "spiffe://tether.internal/bench/host-1" --agent host-1 --ttl 1h >/dev/null
"$root/bin/tether" token create --agent host-1 >"$dir/join-token"
cat >"$dir/agent.yaml" <<YAML
servers: [https://localhost:$proxy_port]
joinTokenFile: join-token
dataDir: data
sync: {interval: ${interval}s}
workloads:
  - spiffeId: spiffe://tether.internal/bench/host-1
    outputs: {certificate: out/cert.pem, key: out/key.pem, bundle: out/bundle.pem, bundleIntermediates: true}
YAML
(cd "$dir" && exec "$root/bin/tether-agent" --config agent.yaml >agent.log 2>&1) &
agent=$!
pids+=("$agent")
for _ in $(seq 1 3000); do
	[ -s "$dir/out/cert.pem" ] && break
	sleep 0.02
done
[ -s "$dir/out/cert.pem" ] || { echo "bench: no certificate" >&2; cat "$dir/agent.log" >&2; exit 1; }
sleep 2
before=$(cat "$work/counts.json")
echo "bench: counting $syncs syncs at ${interval}s (the first, full one is not counted)" >&2
sleep $((syncs * interval))
after=$(cat "$work/counts.json")
python3 - "$before" "$after" "$syncs" "$interval" <<'PY'
import json, sys
before, after = json.loads(sys.argv[1]), json.loads(sys.argv[2])
syncs, interval = int(sys.argv[3]), int(sys.argv[4])
d = {k: after[k] - before[k] for k in before}
per = {k: d[k] / syncs for k in d}
print(f"per sync: {per['connections']:.2f} TLS connections, {per['up']:.0f} bytes up, {per['down']:.0f} bytes down")
print(f"1,000 agents at {interval} s: {1000 / interval:.1f} requests/s, "
      f"{1000 / interval * (per['up'] + per['down']) / 1024:.1f} KiB/s through the server's port")
PY
grep -c "sync failed" "$dir/agent.log" | sed 's/^/sync failures in the agent log: /' || true
