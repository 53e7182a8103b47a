#!/usr/bin/env bash
# The resource server's cost per request with and without token binding (JMH):
# BoundTokenVerifier on an unbound ES256 JWT, with the mTLS binding (cnf.x5t#S256), with
# DPoP (proof checks and signature), and the DPoP replay store's insert in memory and in
# H2 (embedded).
#
#   bench/token-binding.sh [JMH options, e.g. -f 1 -wi 3 -i 5 -r 1s -w 1s]
#
# Builds workload and pki (no install), fetches JMH 1.37 into ~/.m2 if missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
m2=${M2_REPO:-$HOME/.m2/repository}

echo "bench: compiling workload and pki-testing" >&2
"$root/mvnw" -q -B -pl workload,pki-testing -am compile >&2
for artifact in org.openjdk.jmh:jmh-core:1.37 org.openjdk.jmh:jmh-generator-annprocess:1.37; do
	"$root/mvnw" -q -B dependency:get -Dartifact="$artifact" >&2
done
"$root/mvnw" -q -B -pl workload dependency:build-classpath -Dmdep.includeScope=test \
	-Dmdep.excludeGroupIds=io.tether -Dmdep.outputFile="$work/classpath" >&2
jmh="$m2/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:$m2/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar:$m2/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar"
classpath="$root/workload/target/classes:$root/pki/target/classes:$root/pki-testing/target/classes:$(cat "$work/classpath"):$jmh"

mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -proc:full -d "$work/classes" -cp "$classpath" \
	-processorpath "$m2/org/openjdk/jmh/jmh-generator-annprocess/1.37/jmh-generator-annprocess-1.37.jar:$jmh" \
	"$root/bench/TokenBinding.java"
if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -i 5 -r 1s -w 1s; fi
"$JAVA_HOME/bin/java" -cp "$work/classes:$classpath" org.openjdk.jmh.Main TokenBinding "$@"
