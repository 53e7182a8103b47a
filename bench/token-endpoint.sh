#!/usr/bin/env bash
# Token endpoint throughput, in one run on this machine, same load generator
# (bench/TokenLoad.java: closed loop, one kept-alive mutual-TLS connection per client):
#   1. Tether's authz, client_credentials with tls_client_auth: a certificate-bound token;
#   2. the same with a DPoP proof on every request: a token bound to the certificate and
#      the proof's key;
#   3. Keycloak (the distribution the e2e build unpacks), client-x509 by subject DN with
#      certificate-bound tokens on: the peer.
# The CA (H2) issues every certificate; the authz and Keycloak databases are their
# defaults (authz: embedded H2; Keycloak: dev-mem).
#
#   bench/token-endpoint.sh [clients=16] [seconds=15] [warmup=10]
#
# Needs openssl; Keycloak is skipped with a note when e2e/target/keycloak is missing
# (./mvnw verify -pl e2e -Dit.test=KeycloakIT unpacks it).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
clients=${1:-16}
seconds=${2:-15}
warmup=${3:-10}
ca_port=${TETHER_BENCH_PORT:-18443}
authz_port=${AUTHZ_BENCH_PORT:-19443}
keycloak_port=${KEYCLOAK_BENCH_PORT:-18843}
java="$JAVA_HOME/bin/java"
td=tether.internal

. "$root/bench/lib.sh"

start_tether "$ca_port"
export TETHER_CONFIG="$work/tether/admin/config.yaml"
tether() { "$java" -jar "$root/cli/target/tether-cli.jar" "$@"; }
# certificates for authz and Keycloak (localhost) and for the calling workload
issue() { # name [dns]
	mkdir -p "$work/$1"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1/key.pem" 2>/dev/null
	openssl req -new -key "$work/$1/key.pem" -subj "/CN=$1" \
		-addext "subjectAltName=URI:spiffe://$td/ns/$1${2:+,DNS:$2}" -out "$work/$1/csr.pem"
	tether cert issue --spiffe-id "spiffe://$td/ns/$1" --csr "$work/$1/csr.pem" ${2:+--dns "$2"} --ttl 1h \
		>"$work/$1/cert.pem"
}
issue authz localhost
issue keycloak localhost
issue web
curl -sf --cacert "$work/tether/admin/ca-bundle.pem" "https://localhost:$ca_port/v1/bundle?intermediates=true" \
	>"$work/trusted.pem"
cp "$work/tether/admin/ca-bundle.pem" "$work/roots.pem"
for name in authz keycloak web; do cp "$work/roots.pem" "$work/$name/bundle.pem"; done

echo "bench: starting authz on $authz_port" >&2
"$java" -jar "$root/authz/target/tether-authz.jar" --server.port="$authz_port" --management.server.port=-1 \
	--logging.level.root=warn --tether.authz.data-dir="$work/authz-data" \
	--tether.authz.issuer="https://localhost:$authz_port" --tether.authz.ca-url="https://localhost:$ca_port" \
	--tether.authz.credentials.certificate="$work/authz/cert.pem" \
	--tether.authz.credentials.key="$work/authz/key.pem" --tether.authz.credentials.bundle="$work/authz/bundle.pem" \
	--tether.authz.clients[0].spiffe-id-prefix="spiffe://$td/ns/" --tether.authz.clients[0].scopes[0]=orders.read \
	--tether.authz.clients[0].audiences[0]=orders >"$work/authz.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
	curl -s -o /dev/null --cacert "$work/roots.pem" "https://localhost:$authz_port/oauth2/jwks" && break
	sleep 1
done

load() { # label args...
	local label=$1
	shift
	local out
	out=$("$java" "$root/bench/TokenLoad.java" "$@" clients="$clients" seconds="$seconds" warmup="$warmup" \
		cert="$work/web/cert.pem" key="$work/web/key.pem")
	echo "$label: $out" >&2
	sed -n 's/^tokens\/s \([0-9.]*\).*/\1/p' <<<"$out" | head -n 1
}

authz_mtls=$(load "authz mTLS" url="https://localhost:$authz_port/oauth2/token" bundle="$work/roots.pem" \
	form=scope=orders.read)
authz_dpop=$(load "authz mTLS + DPoP" url="https://localhost:$authz_port/oauth2/token" bundle="$work/roots.pem" \
	form=scope=orders.read dpop=true)

keycloak_home=$(ls -d "$root"/e2e/target/keycloak/keycloak-* 2>/dev/null | sort -V | tail -n 1 || true)
keycloak=""
if [ -n "$keycloak_home" ] && [ -x "$keycloak_home/bin/kc.sh" ]; then
	echo "bench: starting Keycloak ($keycloak_home) on $keycloak_port" >&2
	password=$(openssl rand -hex 12)
	JAVA="$java" JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" KC_BOOTSTRAP_ADMIN_USERNAME=admin \
		KC_BOOTSTRAP_ADMIN_PASSWORD="$password" sh "$keycloak_home/bin/kc.sh" start --db=dev-mem \
		--features=spiffe,client-auth-federated --https-client-auth=request --cache=local --http-enabled=false \
		--http-host=127.0.0.1 --https-port="$keycloak_port" --hostname="https://localhost:$keycloak_port" \
		--https-certificate-file="$work/keycloak/cert.pem" --https-certificate-key-file="$work/keycloak/key.pem" \
		--https-trust-store-file="$work/trusted.pem" --truststore-paths="$work/trusted.pem" \
		--log-level=warn >"$work/keycloak.log" 2>&1 &
	kc_pid=$!
	pids+=($kc_pid)
	kc="https://localhost:$keycloak_port"
	for _ in $(seq 1 240); do
		curl -s -o /dev/null --cacert "$work/roots.pem" "$kc/realms/master" && break
		sleep 1
	done
	# kc.sh runs the JVM as its child (or execs it): stop that too at the end
	jvm=$(pgrep -P "$kc_pid" java | head -n 1 || true)
	[ -n "$jvm" ] && pids+=("$jvm")
	admin_token=$(curl -sf --cacert "$work/roots.pem" "$kc/realms/master/protocol/openid-connect/token" \
		-d grant_type=password -d client_id=admin-cli -d username=admin --data-urlencode "password=$password" |
		sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
	subject=$(openssl x509 -in "$work/web/cert.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')
	curl -sf --cacert "$work/roots.pem" -H "Authorization: Bearer $admin_token" -H "Content-Type: application/json" \
		"$kc/admin/realms" -d @- <<JSON
{"realm": "tether", "enabled": true, "clients": [{"clientId": "web", "protocol": "openid-connect",
 "publicClient": false, "standardFlowEnabled": false, "directAccessGrantsEnabled": false,
 "serviceAccountsEnabled": true, "clientAuthenticatorType": "client-x509",
 "attributes": {"x509.subjectdn": "$subject", "x509.allow.regex.pattern.comparison": "false",
  "tls.client.certificate.bound.access.tokens": "true"}}]}
JSON
	keycloak=$(load "Keycloak client-x509" url="$kc/realms/tether/protocol/openid-connect/token" \
		bundle="$work/roots.pem" form=client_id=web)
	echo "Keycloak memory: $(grep -E 'VmRSS|VmHWM' "/proc/${jvm:-$kc_pid}/status" | tr -s ' ' | tr '\n' ' ')" >&2
else
	echo "bench: no Keycloak distribution in e2e/target/keycloak: run ./mvnw verify -pl e2e -Dit.test=KeycloakIT once" >&2
fi

printf '\n%-28s %10s\n' "token endpoint" "tokens/s"
printf '%-28s %10s\n' "authz, mTLS" "$authz_mtls" "authz, mTLS + DPoP" "$authz_dpop"
[ -n "$keycloak" ] && printf '%-28s %10s\n' "Keycloak, client-x509" "$keycloak"
awk -v m="$authz_mtls" -v d="$authz_dpop" -v k="$keycloak" 'BEGIN {
	printf "DPoP / mTLS = %.2f\n", d / m
	if (k != "") printf "authz mTLS / Keycloak = %.2f\n", m / k
}'
