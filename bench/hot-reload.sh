#!/usr/bin/env bash
# Hot-reload delay: from the rename of a new certificate (as the agent writes it) to the
# first TLS handshake that presents it, for a Java server on workload's reloading
# SSLContext and, in the same run, nginx reloaded by its hook ('nginx -s reload').
#
#   bench/hot-reload.sh [rounds=30]
#
# Needs openssl; nginx for the peer (apt-get install nginx), skipped without it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
rounds=${1:-30}
nginx_port=${NGINX_BENCH_PORT:-18444}
export PATH="$PATH:/usr/sbin"
. "$root/bench/lib.sh"

echo "bench: building the workload library" >&2
"$root/mvnw" -q -B -DskipTests -pl workload -am install >&2
"$root/mvnw" -q -B -pl workload dependency:build-classpath -Dmdep.outputFile="$work/classpath" >&2
classpath="$root/workload/target/classes:$(cat "$work/classpath")"

echo "bench: making a CA and $((rounds + 1)) certificates" >&2
openssl ecparam -genkey -name prime256v1 -noout -out "$work/ca-key.pem"
openssl req -x509 -new -key "$work/ca-key.pem" -subj "/CN=bench CA" -days 1 -out "$work/ca.pem" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign"
for i in $(seq 0 "$rounds"); do
	openssl ecparam -genkey -name prime256v1 -noout | openssl pkcs8 -topk8 -nocrypt -out "$work/key-$i.pem"
	openssl req -new -key "$work/key-$i.pem" -subj "/CN=localhost" -out "$work/req.csr"
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$work/ext"
	openssl x509 -req -in "$work/req.csr" -CA "$work/ca.pem" -CAkey "$work/ca-key.pem" -set_serial $((i + 1)) \
		-days 1 -extfile "$work/ext" -out "$work/cert-$i.pem" 2>/dev/null
done

nginx_args=()
if command -v nginx >/dev/null 2>&1; then
	prefix="$work/nginx"
	mkdir -p "$prefix/tls" "$prefix/logs"
	cp "$work/cert-0.pem" "$prefix/tls/cert.pem"
	cp "$work/key-0.pem" "$prefix/tls/key.pem"
	cat >"$prefix/nginx.conf" <<NGINX
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log;
daemon on;
events { worker_connections 64; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $prefix/tls/cert.pem;
    ssl_certificate_key $prefix/tls/key.pem;
  }
}
NGINX
	nginx -p "$prefix" -c "$prefix/nginx.conf"
	trap 'nginx -p "$prefix" -c "$prefix/nginx.conf" -s quit 2>/dev/null || true; bench_cleanup' EXIT
	nginx_args=("$prefix" "$nginx_port")
else
	echo "bench: nginx not found; measuring the Java server only" >&2
fi
"$JAVA_HOME/bin/java" -cp "$classpath" "$root/bench/HotReload.java" "$work" "$rounds" "${nginx_args[@]}"
