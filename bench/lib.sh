# Sourced by the bench scripts: a temporary work directory removed at exit with every
# process added to "pids", and a Tether server started in it (H2 unless the environment
# given names another database).
# shellcheck shell=bash

work=$(mktemp -d)
pids=()
bench_cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap bench_cleanup EXIT

# start_tether PORT [NAME=VALUE...]: starts bin/tether-server on PORT with data in
# $work/tether and the given environment, and waits until it serves (3 minutes at most,
# a first start builds it) or exits
start_tether() {
	local port=$1
	shift
	echo "bench: starting Tether on $port" >&2
	env "$@" TETHER_DATA_DIR="$work/tether" "$root/bin/tether-server" --server.port="$port" \
		--logging.level.root=warn >"$work/tether.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 180); do
		grep -q "Tether CA is running" "$work/tether.log" && return 0
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 1
	done
	cat "$work/tether.log" >&2
	exit 1
}
