#!/usr/bin/env bash
# The CA's cryptography per issued certificate (JMH): CSR proof of possession on a fresh
# P-256 key each time, through BouncyCastle's JCA provider (Tether's path before), the
# BouncyCastle lightweight ECDSASigner and the JDK's SunEC; signing a leaf with the CA key
# through BouncyCastle's provider and SunEC; turning the signed DER into an
# X509Certificate; and Csr.verifyProofOfPossession and CertificateSigner.sign as they are.
#
#   bench/issuance-crypto.sh [JMH options, default: -f 1 -wi 3 -i 5 -r 2s -w 2s -t 2]
#
# -t 2 by default: the server verifies and signs on many threads at once, and a lock
# shared by all of them only shows with more than one. Builds pki (no install), fetches
# JMH 1.37 into ~/.m2 if missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
m2=${M2_REPO:-$HOME/.m2/repository}

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
	"$root/bench/IssuanceCrypto.java"
if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -i 5 -r 2s -w 2s -t 2; fi
"$JAVA_HOME/bin/java" -cp "$work/classes:$classpath" org.openjdk.jmh.Main IssuanceCrypto "$@"
