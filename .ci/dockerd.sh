#!/usr/bin/env bash
# start: run a Docker engine unless one answers (host and none networks only; nothing pulled).
# stop:  stop the engine this script started, by its PID, after removing its containers.
set -euo pipefail
PIDFILE=${DOCKERD_PIDFILE:-/tmp/pop3d-ci-dockerd.pid}
LOG=${DOCKERD_LOG:-/tmp/pop3d-ci-dockerd.log}
case "${1:-}" in
  start)
    if docker info >/dev/null 2>&1; then echo "a Docker engine already runs: using it"; exit 0; fi
    for driver in overlay2 vfs; do
      dockerd --iptables=false --ip6tables=false --bridge=none --ip-forward=false --ip-masq=false \
        --storage-driver=$driver --log-level=warn >"$LOG" 2>&1 &
      echo $! >"$PIDFILE"
      for _ in $(seq 60); do
        docker info >/dev/null 2>&1 && { echo "dockerd ($driver) ready, pid $(cat "$PIDFILE")"; exit 0; }
        kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
        sleep 0.5
      done
      echo "dockerd with $driver did not start:"; tail -20 "$LOG"; sleep 2
    done
    exit 1 ;;
  stop)
    [ -f "$PIDFILE" ] || exit 0
    PID=$(cat "$PIDFILE")
    ids=$(docker ps -aq 2>/dev/null || true); [ -n "$ids" ] && docker rm -f $ids >/dev/null
    kill "$PID" 2>/dev/null || true
    alive() { kill -0 "$PID" 2>/dev/null && ! ps -o stat= -p "$PID" | grep -q Z; }
    for _ in $(seq 60); do alive || break; sleep 0.5; done
    alive && kill -9 "$PID"
    rm -f "$PIDFILE" ;;
  *) echo "usage: $0 start|stop"; exit 64 ;;
esac
