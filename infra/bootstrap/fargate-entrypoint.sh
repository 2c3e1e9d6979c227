#!/bin/bash
# Hangar Fargate runner entrypoint. Scale-up starts the task with HANGAR_RUNNER_ID and
# HANGAR_SECRET_PATH (the full parameter name) as container overrides; the task role may read
# and delete only the parameter tagged with this task's identity (docs/security.md). The
# container exits after one job (a JIT or --ephemeral runner is single-job); the task ends.
set -euo pipefail

RUNNER_DIR="${RUNNER_DIR:-/home/runner/actions-runner}"
SECRET_WAIT_SECONDS="${HANGAR_SECRET_WAIT_SECONDS:-120}"
REGION="${AWS_REGION:?AWS_REGION is not set (the task definition sets it)}"

fail() {
  echo "hangar: runner task failed: $1 (not retryable in this task; exiting)" >&2
  exit 1
}

[ -n "${HANGAR_RUNNER_ID:-}" ] || fail "HANGAR_RUNNER_ID is not set (scale-up passes it as a container override)"
[ -n "${HANGAR_SECRET_PATH:-}" ] || fail "HANGAR_SECRET_PATH is not set (scale-up passes it as a container override)"
PARAMETER="$HANGAR_SECRET_PATH"

# The secret comes first, before the runner is downloaded, and is deleted as soon as it is read;
# it then lives only in this shell's memory (never exported) until the runner starts with it.
waited=0
SECRET=""
while :; do
  if SECRET=$(aws ssm get-parameter --region "$REGION" --name "$PARAMETER" --with-decryption \
    --query Parameter.Value --output text 2>/dev/null); then
    break
  fi
  SECRET=""
  [ "$waited" -lt "$SECRET_WAIT_SECONDS" ] || break
  sleep 3
  waited=$((waited + 3))
done
[ -n "$SECRET" ] || fail "no runner secret at $PARAMETER after $SECRET_WAIT_SECONDS s (scale-up writes it after the task starts: see its logs for runner $HANGAR_RUNNER_ID)"

aws ssm delete-parameter --region "$REGION" --name "$PARAMETER" \
  || echo "hangar: could not delete $PARAMETER; Hangar deletes it when the runner is retired" >&2

if [ ! -x "$RUNNER_DIR/run.sh" ]; then
  [ -n "${HANGAR_BINARIES_BUCKET:-}" ] || fail "no runner in $RUNNER_DIR and no HANGAR_BINARIES_BUCKET to download one"
  case "$(uname -m)" in
    aarch64) arch=arm64 ;;
    *) arch=x64 ;;
  esac
  mkdir -p "$RUNNER_DIR"
  aws s3 cp --region "$REGION" "s3://$HANGAR_BINARIES_BUCKET/actions-runner-linux-$arch.tar.gz" - | tar -xz -C "$RUNNER_DIR" \
    || fail "cannot download actions-runner-linux-$arch.tar.gz from s3://$HANGAR_BINARIES_BUCKET"
fi

# Fargate runners are single-job: a JIT config, or (enable_jit_config = false) a registration
# token for a runner configured with --ephemeral.
json() { printf '%s' "$SECRET" | jq -r "$1"; }
KIND=$(json .kind) || fail "the runner secret at $PARAMETER is not JSON"
case "$KIND" in
  jit)
    JIT_CONFIG=$(json .jitConfig)
    unset SECRET
    echo "hangar: starting runner $HANGAR_RUNNER_ID"
    exec "$RUNNER_DIR/run.sh" --jitconfig "$JIT_CONFIG"
    ;;
  registration)
    [ "$(json '.ephemeral // false')" = true ] || fail "Fargate runners are single-job: the registration for $HANGAR_RUNNER_ID is not ephemeral"
    ARGS=(--unattended --ephemeral --disableupdate --url "$(json .url)" --token "$(json .token)"
      --name "$(json .name)" --labels "$(json '.labels | join(",")')")
    GROUP=$(json '.runnerGroup // ""')
    [ -z "$GROUP" ] || ARGS+=(--runnergroup "$GROUP")
    [ "$(json '.noDefaultLabels // false')" != true ] || ARGS+=(--no-default-labels)
    unset SECRET
    echo "hangar: registering single-job runner $HANGAR_RUNNER_ID"
    "$RUNNER_DIR/config.sh" "${ARGS[@]}" || fail "config.sh could not register runner $HANGAR_RUNNER_ID"
    exec "$RUNNER_DIR/run.sh"
    ;;
  *)
    fail "the runner secret at $PARAMETER has unknown kind '$KIND'"
    ;;
esac
