#!/usr/bin/env bash
# Runs the bounded attacks of issue 9 against one packaged pop3d build, each against a fresh
# server (own temp data dir, free loopback ports), and writes one JSON line per attack.
#
#   load-tests/attacks/run.sh JAR [LABEL] [OUT] [ATTACK...]
#
# JAR    target/quarkus-app/quarkus-run.jar of the build to attack (an old one too)
# LABEL  "before", "after", ... (default: after), written into each line
# OUT    JSON lines file (default: /tmp/pop3d-attacks-LABEL.jsonl), appended to
# ATTACK any of: flood top-flood silent hangup starvation conf1 (default: all, in that order)
#
# Environment: SILENT_HOLD (seconds the silent sockets are held, default 65: past the new 60 s
# login timeout), STARVATION_SECONDS (default 20), ATTACKERS (default 200), HANGUP_SECONDS
# (default 10), KEEP=1 (keep the temp data dirs and server logs).
# Everything is on loopback; every attack stops by itself; the server is stopped by its PID
# (SIGTERM, then SIGKILL after 30 s).
set -euo pipefail

JAR=$(readlink -f "${1:?usage: run.sh JAR [LABEL] [OUT] [ATTACK...]}")
LABEL=${2:-after}
OUT=${3:-/tmp/pop3d-attacks-$LABEL.jsonl}
shift $(( $# < 3 ? $# : 3 ))
ATTACKS=("$@")
[ ${#ATTACKS[@]} -gt 0 ] || ATTACKS=(flood top-flood silent hangup starvation conf1)
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/pop3d-attacks.XXXXXX)
SERVER_PID=
# the temp data dirs (server logs included) are removed at the end unless KEEP=1
trap 'stop_server >/dev/null 2>&1 || true; [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT
[ -f "$JAR" ] || { echo "no jar at $JAR" >&2; exit 64; }

# a loopback port no one listens on (TCP and UDP)
free_port() {
  local p _
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 40000 ))
    if [ -z "$(ss -Htanu "sport = :$p" 2>/dev/null)" ]; then echo "$p"; return; fi
  done
  echo "no free port" >&2; return 1
}

hash() { # scheme password: the server's own hash-password command
  echo -n "$2" | java -jar "$JAR" hash-password --scheme "$1"
}

# Keys of the new build. The old one (5268b33) refuses unknown pop3.* keys at start
# (SRCFG00050 ... does not map to any root), so they are given only to a build that declares
# them. pop3.auth.trusted-networks is empty (the default: nobody exempt from penalties and the
# per-address limit); per-address limit 20, login timeout 60 s and penalties are the defaults.
NEW_KEYS=
if unzip -p "$(dirname "$JAR")"/app/*.jar 'dev/pop3d/config/Pop3Config$Auth.class' 2>/dev/null | grep -qa trustedNetworks; then
  NEW_KEYS="-Dpop3.auth.trusted-networks="
fi
echo "hashing passwords with $JAR ... (new keys: ${NEW_KEYS:-none})" >&2
BCRYPT=$(hash BCRYPT bcrypt-secret)
SHA=$(hash SHA256 good-secret)
TARGETS=b1,b2,b3,b4,b5

# one message of 1,000 lines (~60 KB): RETR for the probe, TOP 1 700 for the TOP flood
message() {
  local dir=$1/Maildir
  mkdir -p "$dir/cur" "$dir/new" "$dir/tmp"
  { printf 'From: attacks@example.test\nSubject: attack probe\n\n'
    for i in $(seq 1 1000); do printf 'line %04d of the probe message, padded to some sixty octets..\n' "$i"; done
  } > "$dir/new/1700000000.M1P1.attacks"
}

start_server() { # heap
  local heap=$1
  DATA=$(mktemp -d "$WORK/data.XXXX")
  POP3_PORT=$(free_port); HTTP_PORT=$(free_port); CONF1_PORT=$(free_port)
  {
    for u in ${TARGETS//,/ }; do echo "$u:$BCRYPT"; done
    for u in good alice probe flood1 flood2 flood3 flood4; do echo "$u:$SHA"; done
  } > "$DATA/users"
  for u in good alice probe flood1 flood2 flood3 flood4; do message "$DATA/mail/$u"; done
  java "$heap" $NEW_KEYS \
    -Dpop3.host=127.0.0.1 -Dpop3.port="$POP3_PORT" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP_PORT" \
    -Dconf1.host=127.0.0.1 -Dconf1.port="$CONF1_PORT" -Dconf1.token=AttackToke \
    -Dpop3.data-dir="$DATA" -Dpop3.users-file="$DATA/users" -Dpop3.demo.enabled=false \
    -jar "$JAR" > "$DATA/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$HTTP_PORT/q/health/ready"; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -20 "$DATA/server.log" >&2; return 1; }
    sleep 0.2
  done
  echo "server did not start" >&2; tail -20 "$DATA/server.log" >&2; return 1
}

# SIGTERM, then SIGKILL after 30 s; STOP_INFO says how it ended
stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  local pid=$SERVER_PID how=sigterm code
  SERVER_PID=
  if ! kill -0 "$pid" 2>/dev/null; then how=dead-before-stop; fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then how=sigkill-after-30s; kill -KILL "$pid" 2>/dev/null || true; fi
  code=0; wait "$pid" 2>/dev/null || code=$?
  STOP_INFO="\"stop\":\"$how\",\"exit\":$code"
}

run_tool() { # name heap tool args...
  local name=$1 heap=$2 tool=$3; shift 3
  start_server "$heap"
  local args=() a
  for a in "$@"; do # @P @H @C @PID: this server's POP3, HTTP and CONF1 ports, and its PID
    case $a in @P) a=$POP3_PORT ;; @H) a=$HTTP_PORT ;; @C) a=$CONF1_PORT ;; @PID) a=$SERVER_PID ;; esac
    args+=("$a")
  done
  echo "[$LABEL] $name: java load-tests/attacks/$tool.java ${args[*]}" >&2
  local result
  result=$(java "$HERE/$tool.java" "${args[@]}" | tail -1)
  local ooms
  ooms=$(grep -c 'OutOfMemoryError' "$DATA/server.log" || true)
  stop_server
  local line="{\"build\":\"$LABEL\",\"attack\":\"$name\",\"heap\":\"$heap\",$STOP_INFO,\"serverOutOfMemoryErrors\":$ooms,\"result\":$result}"
  echo "$line" | tee -a "$OUT"
}

for attack in "${ATTACKS[@]}"; do
  case $attack in
    flood) run_tool flood -Xmx96m ReplyFlood --host 127.0.0.1 --port @P --http @H --pid @PID \
        --user probe --password good-secret --clients 4 --mb 30 --seconds 30 --hold 3 ;;
    top-flood) run_tool top-flood -Xmx96m ReplyFlood --host 127.0.0.1 --port @P --http @H --pid @PID \
        --user probe --password good-secret --clients 4 --mb 30 --seconds 30 --hold 3 \
        --top --flood-user 'flood%d' --flood-password good-secret ;;
    silent) run_tool silent -Xmx256m SilentConnections --host 127.0.0.1 --port @P --from 127.0.0.2 \
        --count 1000 --hold "${SILENT_HOLD:-65}" --user good --password good-secret --user-from 127.0.0.1 ;;
    hangup) run_tool hangup -Xmx256m HangupGuess --host 127.0.0.1 --port @P --from 127.0.0.2 --user alice \
        --seconds "${HANGUP_SECONDS:-10}" --max-guesses 5000 --wait-ms 150 --concurrency 24 \
        --real-password good-secret --real-at 360 ;;
    starvation) run_tool starvation -Xmx256m AuthStarvation --host 127.0.0.1 --port @P --targets "$TARGETS" \
        --good-user good --good-password good-secret --attackers "${ATTACKERS:-200}" --first-attacker 127.0.0.2 \
        --seconds "${STARVATION_SECONDS:-20}" ;;
    conf1) run_tool conf1 -Xmx256m Conf1Junk --host 127.0.0.1 --port @C --http @H --count 10000 --bytes 1 --rate 2000 ;;
    *) echo "unknown attack $attack" >&2; exit 64 ;;
  esac
done
echo "results in $OUT" >&2
