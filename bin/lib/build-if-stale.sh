# Sourced by the launchers (bin/tether, bin/tether-server, bin/tether-agent,
# bin/tether-authz, bin/tether-demo): builds a program's jar when it is missing or older
# than anything it is built from, so that one command is enough on a fresh checkout and
# after a 'git pull'. Needs $root (the repository) and a JDK found by find-java.sh.

# The reactor modules a program's jar is built from: its own and the libraries it embeds.
tether_sources() {
	case "$1" in
	authz | demo) echo "$1 workload api pki" ;;
	*) echo "$1 api pki" ;;
	esac
}

# Succeeds when MODULE's jar (MODULE/target/tether-MODULE.jar) must be rebuilt: it is
# missing, or a source or POM it is built from is newer.
tether_stale() {
	local jar="$root/$1/target/tether-$1.jar" module
	[ -f "$jar" ] || return 0
	[ "$root/pom.xml" -nt "$jar" ] && return 0
	for module in $(tether_sources "$1"); do
		[ "$root/$module/pom.xml" -nt "$jar" ] && return 0
		[ -n "$(find "$root/$module/src/main" -newer "$jar" -type f -print -quit)" ] && return 0
	done
	return 1
}

# tether_build_if_stale NAME MODULE...: builds the stale ones of MODULE... with Maven,
# one build at a time across launchers (a second launcher waits, then finds the jars
# fresh). NAME prefixes the message.
tether_build_if_stale() {
	local name=$1 module
	shift
	local stale=()
	for module in "$@"; do
		if tether_stale "$module"; then stale+=("$module"); fi
	done
	[ ${#stale[@]} -gt 0 ] || return 0
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$root/.build.lock"
		flock 9
	fi
	stale=()
	for module in "$@"; do
		if tether_stale "$module"; then stale+=("$module"); fi
	done
	if [ ${#stale[@]} -gt 0 ]; then
		echo "$name: building ${stale[*]} (first start, or sources changed) ..." >&2
		for module in "${stale[@]}"; do
			# an up-to-date jar is not rebuilt by Maven, and would keep stale libraries
			rm -f "$root/$module/target/tether-$module.jar"
		done
		"$root/mvnw" -q -B -DskipTests -pl "$(IFS=,; echo "${stale[*]}")" -am package >&2
	fi
	exec 9>&-
}
