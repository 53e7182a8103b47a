#!/usr/bin/env bash
# Issuance signing with the intermediate's key where the server keeps it (JMH): sealed
# under the KEK (tether.ca.key-store=kek, the default) against a SoftHSM2 token
# (tether.ca.key-store=pkcs11), in the same run, both through CertificateSigner.sign.
#
#   bench/ca-key-signing.sh [JMH options, default: -f 1 -wi 3 -i 5 -r 2s -w 2s -t 2]
#
# Needs SoftHSM2 (apt-get install softhsm2); makes a throwaway token in a temporary
# directory. Builds pki (no install), fetches JMH 1.37 into ~/.m2 if missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
m2=${M2_REPO:-$HOME/.m2/repository}

library=""
for candidate in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*-linux-gnu/softhsm/libsofthsm2.so; do
	if [ -r "$candidate" ]; then library=$candidate; break; fi
done
[ -n "$library" ] || { echo "bench: SoftHSM2 is not installed (apt-get install softhsm2)" >&2; exit 1; }
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" >"$work/softhsm2.conf"
export SOFTHSM2_CONF="$work/softhsm2.conf"
export TETHER_BENCH_PKCS11_LIBRARY="$library" TETHER_BENCH_PKCS11_PIN=bench-pin
init=$(softhsm2-util --init-token --free --label tether-bench --pin "$TETHER_BENCH_PKCS11_PIN" --so-pin bench-so-pin)
TETHER_BENCH_PKCS11_SLOT=$(sed -n 's/.*reassigned to slot \([0-9]*\).*/\1/p' <<<"$init")
export TETHER_BENCH_PKCS11_SLOT

echo "bench: compiling pki" >&2
"$root/mvnw" -q -B -pl pki -am compile >&2
for artifact in org.openjdk.jmh:jmh-core:1.37 org.openjdk.jmh:jmh-generator-annprocess:1.37; do
	"$root/mvnw" -q -B dependency:get -Dartifact="$artifact" >&2
done
"$root/mvnw" -q -B -pl pki dependency:build-classpath -Dmdep.includeScope=runtime \
	-Dmdep.outputFile="$work/classpath" >&2
jmh="$m2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:$m2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar:$m2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
classpath="$root/pki/target/classes:$(cat "$work/classpath"):$jmh"

mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -proc:full -d "$work/classes" -cp "$classpath" \
	-processorpath "$m2/org/openjdk/jmh/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar:$jmh" \
	"$root/bench/CaKeySigning.java"
if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -i 5 -r 2s -w 2s -t 2; fi
"$JAVA_HOME/bin/java" -cp "$work/classes:$classpath" org.openjdk.jmh.Main CaKeySigning "$@"
