#!/usr/bin/env bash
# The one-shot setup service of docker-compose.yml, with the CA's admin credentials
# (read-only): registers the demo workloads for the agent compose-node and, while that
# agent is not enrolled, leaves a fresh join token where the agent reads it. Safe to run
# at every `docker compose up`: what exists is left alone.
set -euo pipefail
td=tether.internal
ttl=${TETHER_DEMO_TTL:-5m}
agent=compose-node
admin=/var/lib/tether/admin
config=$(mktemp)
# the admin configuration names https://localhost:8443; here the CA is https://ca:8443
cat >"$config" <<YAML
server: https://ca:8443
bundle: $admin/ca-bundle.pem
certificate: $admin/admin-cert.pem
key: $admin/admin-key.pem
YAML
export TETHER_CONFIG=$config

entries=$(tether entry list --agent "$agent" -o json)
register() { # name [dns name]
	if grep -q "\"spiffe://$td/ns/$1\"" <<<"$entries"; then
		echo "setup: spiffe://$td/ns/$1 is registered"
	else
		tether entry create "spiffe://$td/ns/$1" --agent "$agent" ${2:+--dns "$2"} --ttl "$ttl"
	fi
}
register authz authz
register orders orders
register web

if tether agent list -o json | grep -q "\"spiffe://$td/agent/$agent\""; then
	echo "setup: agent $agent is enrolled; no join token needed"
else
	tether token create --agent "$agent" >/run/tether/join/token.new
	mv /run/tether/join/token.new /run/tether/join/token
	echo "setup: join token for agent $agent written"
fi
