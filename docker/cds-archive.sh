#!/bin/sh
# Run once at image build (Dockerfile): makes the AppCDS archive /deployments/pop3d.jsa with the
# image's own JVM, which is the only JVM an archive works with. A training run starts the server
# on loopback of the build container with an empty data dir (the demo maildrop), runs one session
# when nc is there (busybox has it) and stops it with SIGTERM; the JVM writes the classes it
# loaded at exit (-XX:ArchiveClassesAtExit). Later starts map them instead of loading and
# verifying them from the jars (see load-tests/RESULTS.md for what it buys).
set -eu
archive=/deployments/pop3d.jsa
work=$(mktemp -d)
java -XX:MaxRAMPercentage=75 -XX:+UseSerialGC -Xmn32m -Djava.io.tmpdir=/tmp -XX:ArchiveClassesAtExit="$archive" \
    -Dpop3.data-dir="$work" -Dpop3.host=127.0.0.1 -Dpop3.port=31110 -Dpop3.tls.port=0 \
    -Dconf1.host=127.0.0.1 -Dconf1.port=0 -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=0 \
    -Dhdrp.port=0 -Dhdrp.udp-port=0 -jar /deployments/quarkus-run.jar >"$work/log" 2>&1 &
pid=$!
tries=0
until grep -q "pop3d listening on" "$work/log"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 600 ] || ! kill -0 "$pid" 2>/dev/null; then
        cat "$work/log" >&2
        kill "$pid" 2>/dev/null || true
        exit 1
    fi
    sleep 0.1
done
if command -v nc >/dev/null 2>&1; then
    printf 'CAPA\r\nUSER demo\r\nPASS demo\r\nSTAT\r\nLIST\r\nUIDL\r\nRETR 1\r\nTOP 1 0\r\nNOOP\r\nRSET\r\nQUIT\r\n' \
        | nc -w 5 127.0.0.1 31110 >/dev/null 2>&1 || true
fi
sleep 1
kill -TERM "$pid"
wait "$pid" || true
rm -rf "$work"
test -s "$archive"
echo "AppCDS archive $archive: $(wc -c <"$archive") bytes"
