#!/usr/bin/env bash
# Fuzzes every parser Tether exposes to untrusted input with Jazzer (coverage-guided,
# libFuzzer underneath), each for the given number of seconds:
#
#   fuzz/run.sh [seconds-per-target, default 5] [Class#method ...]
#
# Without targets it runs all of them (TARGETS below). Builds pki, api and server with
# their tests (no install), then starts one JVM per target: Jazzer fuzzes a single
# @FuzzTest per JVM. A target starts from its checked-in seeds
# (src/test/resources/<package>/<Class>Inputs/<method>/) and from what earlier runs
# found (<module>/.cifuzz-corpus/, not checked in). A finding fails the run; Jazzer
# writes the input that crashed into the target's Inputs directory, where the build runs
# it from then on as an ordinary test: fix the parser, keep the file.
#
# Prints one line per target: executions, executions per second, corpus entries.
# Logs are kept in $FUZZ_LOGS (default: target/fuzz-logs).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$root/bin/lib/find-java.sh"
tether_find_java

TARGETS=(
	pki:io.tether.pki.CsrFuzzTest#fromPem
	pki:io.tether.pki.CsrFuzzTest#fromDer
	pki:io.tether.pki.PemFuzzTest#read
	pki:io.tether.pki.SpiffeIdFuzzTest#parse
	pki:io.tether.pki.DnsNamesFuzzTest#normalize
	api:io.tether.api.DurationsFuzzTest#parse
	server:io.tether.server.web.RequestFieldsFuzzTest#ttl
	server:io.tether.server.web.RequestFieldsFuzzTest#subject
	server:io.tether.server.web.RequestFieldsFuzzTest#certificate
	server:io.tether.server.web.RequestBodiesFuzzTest#issueRequest
	server:io.tether.server.web.RequestBodiesFuzzTest#entryRequest
	server:io.tether.server.web.RequestBodiesFuzzTest#otherRequests
	server:io.tether.server.enrollment.JoinTokensFuzzTest#consume
	server:io.tether.server.revocation.OcspRequestsFuzzTest#decode
)

seconds=${1:-5}
shift || true
if [ $# -gt 0 ]; then
	selected=()
	for wanted in "$@"; do
		for target in "${TARGETS[@]}"; do
			case "$target" in *"$wanted"*) selected+=("$target") ;; esac
		done
	done
	TARGETS=("${selected[@]}")
fi
logs=${FUZZ_LOGS:-$root/target/fuzz-logs}
mkdir -p "$logs"

echo "fuzz: building pki, api and server with their tests" >&2
"$root/mvnw" -q -B -o -pl pki,api,server -am test-compile \
	org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
	-Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz-classpath >&2

failed=()
for target in "${TARGETS[@]}"; do
	module=${target%%:*}
	test=${target#*:}
	classpath="$root/$module/target/test-classes:$root/$module/target/classes:$(cat "$root/$module/target/fuzz-classpath")"
	log="$logs/${test//[#.]/-}.log"
	start=$(date +%s)
	# -max_total_time given last overrides the @FuzzTest's maxDuration; instrument only
	# Tether and the parsers it relies on, not Spring or the test libraries
	if (cd "$root/$module" && JAZZER_FUZZ=1 "$JAVA_HOME/bin/java" -XX:+EnableDynamicAgentLoading -Xshare:off \
		-Djazzer.instrument='io.tether.**,org.bouncycastle.**,tools.jackson.**' \
		-Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
		-cp "$classpath" "$root/fuzz/FuzzTarget.java" "$test") >"$log" 2>&1; then
		outcome=ok
	else
		outcome=FINDING
		failed+=("$test")
	fi
	# libFuzzer's last status line: "#<runs> DONE cov: .. corp: <entries>/<bytes> .. exec/s: <n>"
	status=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
	runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$status")
	corpus=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<<"$status")
	rate=$(sed -nE 's/.* exec\/s: ([0-9]+).*/\1/p' <<<"$status")
	printf '%-60s %-7s %3ss  runs=%-9s exec/s=%-7s corpus=%s\n' "$test" "$outcome" "$(($(date +%s) - start))" \
		"${runs:-?}" "${rate:-?}" "${corpus:-?}"
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: findings in ${failed[*]}; logs in $logs" >&2
	exit 1
fi
