#!/usr/bin/env bash
# The compose stack as CI can run it (host network, no bridge): validate every compose file,
# bring pop3d up, deliver with `deliver` through docker-compose exec, fetch with curl, compare
# bytes, ask CONF1 over UDP, take it down. Needs target/ (mvn package) and a Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."
export JRE_BASE_IMAGE=${JRE_BASE_IMAGE:-localhost/jre17:latest} CONF1_TOKEN=cicomposet
export CI_POP3_PORT=21110 CI_CONF1_PORT=29090 CI_HTTP_PORT=28080
C="docker-compose -p pop3d-ci -f docker-compose.yml -f docker-compose.ci.yml"
for files in "-f docker-compose.yml" "-f docker-compose.yml -f docker-compose.override.yml" \
             "-f docker-compose.yml -f docker-compose.ci.yml"; do
  docker-compose $files config -q && echo "valid: $files"
done
docker-compose -f docker-compose.yml -f docker-compose.override.yml --profile reference --profile metrics config -q \
  && echo "valid: reference and metrics profiles"
trap '$C down -v --remove-orphans >/dev/null 2>&1 || true' EXIT
$C up -d --build pop3d
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$CI_HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5
done
curl -fsS "http://127.0.0.1:$CI_HTTP_PORT/q/health/ready" | grep -q '"UP"'
msg=$(mktemp); printf 'Subject: compose smoke\n\n.dot line\nfrom CI\n' >"$msg"
$C exec -T pop3d pop3d deliver demo <"$msg"
n=$(curl -fsS "pop3://demo:demo@127.0.0.1:$CI_POP3_PORT/" | wc -l)
curl -fsS "pop3://demo:demo@127.0.0.1:$CI_POP3_PORT/$n" >"$msg.got"
sed 's/$/\r/' "$msg" | cmp - "$msg.got" && echo "compose: delivered message $n retrieved byte for byte"
answer=$(java -jar target/quarkus-app/quarkus-run.jar conf1 --port "$CI_CONF1_PORT" cicomposet GET INF || true)
echo "CONF1: $answer"; case "$answer" in "+SUC Valid object codes:"*) ;; *) exit 1 ;; esac
[ -z "$(docker network ls -q --filter driver=bridge)" ] || { echo "a bridge network was created"; exit 1; }
echo "compose smoke: ok"
