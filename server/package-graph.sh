#!/usr/bin/env bash
# Prints the server's package dependency graph, one "feature: what it uses" line each,
# from the compiled classes (run './mvnw -pl server -am compile' first). The build checks
# the rules this graph must follow: server/src/test/java/io/tether/server/ServerBoundariesTest.java
set -euo pipefail
root=$(cd -P "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=../bin/lib/find-java.sh
. "$root/bin/lib/find-java.sh"
tether_find_java
"$JAVA_HOME/bin/jdeps" -verbose:package -filter:none "$root/server/target/classes" \
	| awk '$1 ~ /^io\.tether\.server\./ && $3 ~ /^io\.tether\.server\./ && $1 != $3 { print $1, $3 }' \
	| sed 's/io\.tether\.server\.//g' | sed 's/\.[a-z.]*\( \)/\1/; s/ \([a-z]*\)\..*/ \1/' | awk '$1 != $2' | sort -u \
	| awk '{ uses[$1] = uses[$1] " " $2 } END { for (p in uses) print p ":" uses[p] }' | sort
