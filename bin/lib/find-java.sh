# Sourced by Tether's launchers and ./mvnw: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm
# (or $TETHER_JVM_DIR). Fails with a message that says what to install.

tether_java_feature() {
	# prints the feature release (17, 21, 25...) of the java binary given, or nothing;
	# reads the JDK's release file when there is one (starting a JVM per candidate is slow)
	local home release
	home=$(dirname "$(dirname "$1")")
	release="$home/release"
	if [ -f "$release" ]; then
		sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$release" | head -n 1
		return
	fi
	"$1" -XshowSettings:properties -version 2>&1 |
		sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

tether_find_java() {
	local min=21 candidate feature best="" best_feature=0
	if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
		feature=$(tether_java_feature "$JAVA_HOME/bin/java")
		if [ -n "$feature" ] && [ "$feature" -ge "$min" ]; then
			export JAVA_HOME
			return 0
		fi
	fi
	for candidate in "${TETHER_JVM_DIR:-/usr/lib/jvm}"/*; do
		[ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
		feature=$(tether_java_feature "$candidate/bin/java")
		[ -n "$feature" ] || continue
		if [ "$feature" -ge "$min" ] && [ "$feature" -gt "$best_feature" ]; then
			best="$candidate"
			best_feature="$feature"
		fi
	done
	if [ -z "$best" ]; then
		echo "tether: no JDK ${min} or newer found (JAVA_HOME=${JAVA_HOME:-unset}, searched ${TETHER_JVM_DIR:-/usr/lib/jvm})." >&2
		echo "tether: install a JDK 21 or newer (Temurin, or your distribution's openjdk-21+) under /usr/lib/jvm, or set JAVA_HOME to one." >&2
		return 1
	fi
	JAVA_HOME="$best"
	export JAVA_HOME
}
