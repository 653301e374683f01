#!/usr/bin/env bash
# The compose stack as CI can run it, never on a bridge network: validate every compose file, then
# 1. host network (docker-compose.ci.yml): deliver with `deliver` through docker-compose exec, fetch
#    with curl, compare bytes, ask CONF1 over UDP with the token generated in the volume;
# 2. as users run it, on a network without IPv6 (docker-compose.noipv6.yml: network_mode none,
#    disable_ipv6=1, nothing published), with no environment: health, the demo mail over POP3 and
#    CONF1, all checked from inside the container with docker-compose exec;
# and take everything down. Needs target/ (mvn verify) and a Docker engine. Run it beside another
# run only with other CI_POP3_PORT, CI_CONF1_PORT, CI_HTTP_PORT and CI_COMPOSE_PROJECT.
set -euo pipefail
cd "$(dirname "$0")/.."
export JRE_BASE_IMAGE=${JRE_BASE_IMAGE:-localhost/jre17:latest}
export CI_POP3_PORT=${CI_POP3_PORT:-21110} CI_CONF1_PORT=${CI_CONF1_PORT:-29090} CI_HTTP_PORT=${CI_HTTP_PORT:-28080}
unset CONF1_TOKEN # what users get: the token generated once in the volume
project=${CI_COMPOSE_PROJECT:-pop3d-ci}
C="docker-compose -p $project -f docker-compose.yml -f docker-compose.ci.yml"
N="docker-compose -p $project-noipv6 -f docker-compose.yml -f docker-compose.noipv6.yml"

for files in "-f docker-compose.yml" "-f docker-compose.yml -f docker-compose.override.yml" \
             "-f docker-compose.yml -f docker-compose.ci.yml" "-f docker-compose.yml -f docker-compose.noipv6.yml"; do
  docker-compose $files config -q && echo "valid: $files"
done
docker-compose -f docker-compose.yml -f docker-compose.override.yml --profile reference --profile metrics config -q \
  && echo "valid: reference and metrics profiles"
trap '$C down -v --remove-orphans >/dev/null 2>&1 || true; $N down -v --remove-orphans >/dev/null 2>&1 || true' EXIT
no_bridge() {
  [ -z "$(docker network ls -q --filter driver=bridge)" ] || { echo "a bridge network was created"; docker network ls; exit 1; }
}

echo "-- host network"
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
rm -f "$msg" "$msg.got"
token=$($C exec -T pop3d cat /data/conf1.token | tr -d '\r\n') || { echo "no generated /data/conf1.token"; exit 1; }
answer=$(java -jar target/quarkus-app/quarkus-run.jar conf1 --port "$CI_CONF1_PORT" "$token" GET INF || true)
echo "CONF1 (generated token): $answer"; case "$answer" in "+SUC Valid object codes:"*) ;; *) exit 1 ;; esac
$C down -v --remove-orphans
no_bridge

echo "-- no IPv6, no environment (docker-compose.noipv6.yml)"
$N up -d --build pop3d
ready=""
for _ in $(seq 60); do
  ready=$($N exec -T pop3d wget -q -O - http://127.0.0.1:8080/q/health/ready 2>/dev/null) && break; sleep 0.5
done
case "$ready" in *'"UP"'*) echo "noipv6: ready" ;; *) echo "noipv6: not ready: $ready"; $N logs --tail 40 pop3d; exit 1 ;; esac
restarts=$(docker inspect -f '{{.RestartCount}}' "$($N ps -q pop3d)")
[ "$restarts" = 0 ] || { echo "noipv6: restarted $restarts times"; $N logs --tail 40 pop3d; exit 1; }
[ -z "$($N exec -T pop3d cat /proc/net/if_inet6)" ] || { echo "noipv6: the namespace has IPv6"; exit 1; }
dialogue=$($N exec -T pop3d sh -c \
  "{ printf 'USER demo\r\nPASS demo\r\nSTAT\r\nRETR 1\r\nQUIT\r\n'; sleep 3; } | nc 127.0.0.1 1110" | tr -d '\r')
# here-strings, not printf | grep -q: with pipefail, grep -q leaving early made printf die of SIGPIPE
grep -qx '+OK Logged in.' <<<"$dialogue" \
  && grep -qx '+OK [0-9]* octets' <<<"$dialogue" \
  && grep -qx 'Subject: Welcome to pop3d' <<<"$dialogue" \
  && [ "$(tail -n 1 <<<"$dialogue")" = '+OK Logging out.' ] \
  || { echo "noipv6: demo RETR failed:"; printf '%s\n' "$dialogue"; exit 1; }
echo "noipv6: demo message 1 retrieved with USER/PASS/STAT/RETR/QUIT"
answer=$($N exec -T pop3d sh -c 'pop3d conf1 "$(cat /data/conf1.token)" GET HTU' | tr -d '\r' || true)
echo "noipv6 CONF1: $answer"; [ "$answer" = "+SUC Historic total users: 1" ] || exit 1
$N down -v --remove-orphans
no_bridge
echo "compose smoke: ok"
