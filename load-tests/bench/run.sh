#!/usr/bin/env bash
# One command for the benchmark (see README.md next to this file): checks that the load-tests jar
# and the GreenMail jar exist (it builds nothing), raises the open-files limit for the idle
# sessions, and passes every option through to dev.pop3d.load.bench.Bench.
#   load-tests/bench/run.sh --jar target/quarkus-app/quarkus-run.jar --results-md load-tests/RESULTS.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/../target/pop3d-load-tests.jar"
peers="$here/../target/peers/greenmail-standalone.jar"
for f in "$jar" "$peers"; do
  if [ ! -f "$f" ]; then
    echo "run.sh: $f is missing: build it with mvn -B -q -f load-tests/pom.xml package" >&2
    exit 2
  fi
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
export BENCH_COMMAND="load-tests/bench/run.sh $*"
exec java -Xmx1g -cp "$jar" dev.pop3d.load.bench.Bench --greenmail-jar "$peers" "$@"
