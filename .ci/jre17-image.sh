#!/usr/bin/env bash
# Builds localhost/jre17:latest without any registry: a jlink'ed JRE 17 from Debian's JDK, its
# shared libraries, and busybox, imported as an image. Used as BASE for our Dockerfile in CI.
set -euo pipefail
JDK=${JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
[ -d "$JDK/jmods" ] || { echo "need a JDK with jmods at $JDK (openjdk-17-jdk-headless)"; exit 1; }
WORK=$(mktemp -d); R=$WORK/rootfs; J=$R/opt/java/openjdk
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$R"/{bin,etc,tmp,lib64,root,home/default,deployments}; chmod 1777 "$R/tmp"
X='jdk\.(compiler|javadoc|jshell|jdeps|jlink|jpackage|hotspot\..*|jconsole|jartool|jstatd|editpad|internal\.(ed|le|opt|vm\..*)|jsobject|accessibility|unsupported\.desktop|incubator\..*)'
MODS=$("$JDK/bin/java" --list-modules | sed 's/@.*//' | grep -vxE "$X" | paste -sd, -)
"$JDK/bin/jlink" --module-path "$JDK/jmods" --add-modules "$MODS" --output "$J" \
  --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive
rm -f "$J/lib/libawt_xawt.so" "$J/lib/libsplashscreen.so" "$J/lib/libjawt.so"
find "$J" -type f \( -name '*.so' -o -path '*/bin/*' \) | (xargs ldd 2>/dev/null || true) \
  | awk '/=> \//{print $3} /^\s*\/lib/{print $1}' | sort -u | grep -v "^$R" \
  | xargs -I{} cp --parents -L {} "$R"
cp --parents -L /lib64/ld-linux-x86-64.so.2 "$R"
cp /bin/busybox "$R/bin/" && chroot "$R" /bin/busybox --install -s /bin
find "$J/lib/security" -type l | while read -r l; do t=$(readlink -f "$l"); rm "$l"; cp "$t" "$l"; done
chown 185:0 "$R/home/default" "$R/deployments"
printf 'root:x:0:0:root:/root:/bin/sh\ndefault:x:185:0:default:/home/default:/bin/sh\n' >"$R/etc/passwd"
printf 'root:x:0:\nnobody:x:65534:\n' >"$R/etc/group"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$R/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$R/etc/hosts"
tar -C "$R" -c . | docker import --change 'ENV JAVA_HOME=/opt/java/openjdk' \
  --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/sh"]' - localhost/jre17:latest
docker run --rm --network host localhost/jre17:latest java -version
