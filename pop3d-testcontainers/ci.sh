#!/usr/bin/env bash
# CI for pop3d-testcontainers and examples/ (issue 13), run by .ci/run after the server's build
# (target/quarkus-app must exist: mvn -B install -DskipTests, package or verify) with a Docker engine
# running and localhost/jre17:latest present (.ci/dockerd.sh, .ci/jre17-image.sh):
# 1. builds the image localhost/pop3d:ci from the repository's Dockerfile on the local JRE base (never
#    a pull; the engine's layer cache makes an unchanged build take a second or two);
# 2. installs pop3d-testcontainers into the local Maven repository, running its tests (extension,
#    container on the host network) with a Docker engine required;
# 3. runs the examples' tests against it, the same way.
# Prints each step's seconds; takes well under 3 minutes on a warm Maven repository.
# Overrides: JRE_BASE_IMAGE, POP3D_IMAGE, MVN_ARGS (extra Maven arguments, e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/.."
JRE_BASE_IMAGE=${JRE_BASE_IMAGE:-localhost/jre17:latest}
POP3D_IMAGE=${POP3D_IMAGE:-localhost/pop3d:ci}
MVN_ARGS=${MVN_ARGS:-}
# Ryuk's image cannot be pulled here; the host override keeps Testcontainers from looking for a bridge
# network (this machine has /.dockerenv). Containers are closed by the tests themselves.
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-127.0.0.1}

started=$SECONDS step_name="" step_start=$SECONDS
step() {
  [ -z "$step_name" ] || echo "-- $step_name: $((SECONDS - step_start)) s"
  step_name=$1 step_start=$SECONDS
  [ -z "$step_name" ] || echo "-- $step_name"
}
trap 'rc=$?; [ "$rc" = 0 ] || echo "-- $step_name FAILED after $((SECONDS - step_start)) s"' EXIT

jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "no $jar: build the server first (mvn -B install -DskipTests)"; exit 1; }
docker info >/dev/null 2>&1 || { echo "no Docker engine answers (start one: .ci/dockerd.sh start)"; exit 1; }
docker image inspect "$JRE_BASE_IMAGE" >/dev/null 2>&1 \
  || { echo "no base image $JRE_BASE_IMAGE (.ci/jre17-image.sh builds it)"; exit 1; }

step "image $POP3D_IMAGE (BASE=$JRE_BASE_IMAGE)"
build_log=$(mktemp)
docker build --network host --build-arg BASE="$JRE_BASE_IMAGE" -t "$POP3D_IMAGE" . >"$build_log" 2>&1 \
  || { tail -30 "$build_log"; rm -f "$build_log"; exit 1; }
grep -E '^Successfully (built|tagged)' "$build_log" || true
rm -f "$build_log"

props=(-Dpop3d.jar="$PWD/$jar" -Dpop3d.image="$POP3D_IMAGE" -Dpop3d.docker.required=true)

step "pop3d-testcontainers: test and install"
# shellcheck disable=SC2086
mvn -B $MVN_ARGS -f pop3d-testcontainers/pom.xml install "${props[@]}"

step "examples: verify"
# shellcheck disable=SC2086
mvn -B $MVN_ARGS -f examples/pom.xml verify "${props[@]}"

step ""
echo "-- pop3d-testcontainers and examples passed in $((SECONDS - started)) s"
