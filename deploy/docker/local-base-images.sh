#!/usr/bin/env bash
# Builds, without any image registry, the two base images Tether's container tests use in
# place of the official ones:
#   tether-local/java:<key>      a Debian root file system (debootstrap, minbase) with a
#                                jlinked Java runtime in /opt/java: the runtime base of the
#                                server, authz, agent and demo images (build argument BASE);
#   tether-local/postgres:<key>  the same Debian with its PostgreSQL package and an entry
#                                point that honours the official image's POSTGRES_* settings.
# Each is tagged :latest too. An image is rebuilt only when its key changes: the key is a
# hash of this script, the JDK's release file and the Debian suite, so reruns take a second.
# Packages come from the Debian mirror this machine's apt already uses (or
# TETHER_DEBIAN_MIRROR). Needs root (debootstrap) and a running Docker engine.
#
#   deploy/docker/local-base-images.sh [java|postgres]...   (default: both)
set -euo pipefail
here=$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/bin/lib/find-java.sh"

fail() { echo "local-base-images: $*" >&2; exit 1; }
log() { echo "[local-base-images] $*" >&2; }

[ "$(id -u)" -eq 0 ] || fail "debootstrap needs root"
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || fail "needs debootstrap (apt-get install debootstrap)"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (start dockerd)"
export PATH="$PATH:/usr/sbin:/sbin"

suite=${TETHER_DEBIAN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")}

debian_mirror() {
	# the first Debian archive URI in apt's sources (deb822 or one-line format)
	if [ -n "${TETHER_DEBIAN_MIRROR:-}" ]; then
		echo "$TETHER_DEBIAN_MIRROR"
		return
	fi
	local uri
	uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ {print $2}' | grep -E '/debian/?$' | head -n 1 || true)
	if [ -z "$uri" ]; then
		uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; break}}' |
			grep -E '/debian/?$' | head -n 1 || true)
	fi
	[ -n "$uri" ] || fail "no Debian mirror in apt's sources: set TETHER_DEBIAN_MIRROR"
	echo "$uri"
}

key_of() { # name extra...
	{ cat "${BASH_SOURCE[0]}"; echo "$suite"; printf '%s\n' "$@"; } | sha256sum | cut -c1-12
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# debootstrap into a temporary directory and hand it to the function named by $2
bootstrap() { # name include-packages
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/tether-rootfs.XXXXXX")
	log "debootstrap $suite ($1) into $dir"
	if ! debootstrap --variant=minbase ${2:+--include="$2"} "$suite" "$dir" "$(debian_mirror)" >"$dir.log" 2>&1; then
		tail -20 "$dir.log" >&2
		rm -rf "$dir" "$dir.log"
		fail "debootstrap failed (log above)"
	fi
	rm -f "$dir.log"
	# nothing the images need: package lists and caches, documentation
	rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/* "$dir"/usr/share/doc/* \
		"$dir"/usr/share/man/* "$dir"/usr/share/locale/*
	echo "$dir"
}

import_rootfs() { # dir tag change...
	local dir=$1 tag=$2
	shift 2
	local changes=()
	for change in "$@"; do changes+=(--change "$change"); done
	tar --numeric-owner -C "$dir" -c . | docker import "${changes[@]}" - "$tag" >/dev/null
	rm -rf "$dir"
}

build_java() {
	tether_find_java
	local key tag dir
	key=$(key_of java "$(cat "$JAVA_HOME/release")")
	tag="tether-local/java:$key"
	if have_image "$tag"; then
		log "$tag is cached"
	else
		dir=$(bootstrap java "ca-certificates")
		# the JDK's modules Tether's programs use (jdeps over the Spring Boot jars misses
		# reflective ones): Java SE, EC and PKCS#11 providers, JFR, DNS and zip file systems
		local wanted="java.se,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,jdk.management,jdk.jfr,jdk.naming.dns,jdk.zipfs,jdk.httpserver,jdk.charsets,jdk.localedata"
		local available modules=""
		available=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//')
		for module in ${wanted//,/ }; do
			grep -qx "$module" <<<"$available" && modules="$modules,$module"
		done
		log "jlink ${modules#,} from $JAVA_HOME"
		"$JAVA_HOME/bin/jlink" --add-modules "${modules#,}" --strip-debug --no-header-files --no-man-pages \
			--output "$dir/opt/java"
		# the class-data archive of the runtime's own classes, for a faster start
		chroot "$dir" /opt/java/bin/java -Xshare:dump >/dev/null 2>&1 || true
		import_rootfs "$dir" "$tag" \
			'ENV JAVA_HOME=/opt/java' \
			'ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
			'ENV LANG=C.UTF-8' \
			'CMD ["/opt/java/bin/java", "-version"]'
		log "built $tag"
	fi
	docker tag "$tag" tether-local/java:latest
	echo "$tag"
}

build_postgres() {
	local key tag dir
	key=$(key_of postgres "$(cat "$here/postgres-entrypoint.sh")")
	tag="tether-local/postgres:$key"
	if have_image "$tag"; then
		log "$tag is cached"
	else
		dir=$(bootstrap postgres "postgresql")
		local bin
		bin=$(ls -d "$dir"/usr/lib/postgresql/*/bin | sort -V | tail -n 1)
		bin=${bin#"$dir"}
		# the cluster the package made is not used: the entry point makes its own in PGDATA
		rm -rf "$dir"/var/lib/postgresql/* "$dir"/etc/postgresql/*
		install -d -o "$(chroot "$dir" id -u postgres)" -g "$(chroot "$dir" id -g postgres)" \
			"$dir/var/lib/postgresql/data" "$dir/var/run/postgresql"
		install -m 0755 "$here/postgres-entrypoint.sh" "$dir/usr/local/bin/docker-entrypoint.sh"
		import_rootfs "$dir" "$tag" \
			"ENV PATH=$bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
			'ENV PGDATA=/var/lib/postgresql/data' \
			'ENV LANG=C.UTF-8' \
			'VOLUME /var/lib/postgresql/data' \
			'EXPOSE 5432' \
			'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
			'CMD ["postgres"]'
		log "built $tag"
	fi
	docker tag "$tag" tether-local/postgres:latest
	echo "$tag"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(java postgres)
for target in "${targets[@]}"; do
	case "$target" in
		java) build_java ;;
		postgres) build_postgres ;;
		*) fail "unknown image '$target' (java or postgres)" ;;
	esac
done
