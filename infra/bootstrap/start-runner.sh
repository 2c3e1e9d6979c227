#!/bin/bash
# Hangar EC2 runner boot script (Linux). Rendered by Terraform templatefile(): values in
# $${...} come from the module; everything per runner comes from this instance's own tags.
# Any failure shuts the instance down (instance_initiated_shutdown_behavior = terminate), so
# a broken boot never leaves a paid, useless instance behind.
set -euo pipefail

REGION="${region}"
BINARIES_BUCKET="${binaries_bucket}"
RUNNER_ARCH="${runner_arch}"
RUNNER_USER="${runner_user}"
PREBUILT_IMAGE="${prebuilt_image}"
EPHEMERAL="${ephemeral}"
LOG_GROUP="${log_group}"
SECRET_WAIT_SECONDS="${secret_wait_s}"
RUNNER_DIR=/opt/actions-runner
BOOT_LOG=/var/log/hangar-boot.log

exec > >(tee -a "$BOOT_LOG") 2>&1

fail() {
  echo "hangar: boot failed: $1 (not retryable on this instance; shutting down)"
  shutdown -h now
  exit 1
}
trap 'fail "unexpected error on line $LINENO"' ERR

imds_token() {
  curl -sf -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300"
}

imds() {
  curl -sf -H "X-aws-ec2-metadata-token: $(imds_token)" "http://169.254.169.254/latest/meta-data/$1"
}

INSTANCE_ID=$(imds instance-id) || fail "cannot read the instance id from IMDSv2"
RUNNER_ID=$(imds tags/instance/hangar:runner-id) || fail "instance $INSTANCE_ID has no hangar:runner-id tag"
POOL_ID=$(imds tags/instance/hangar:pool-id) || fail "instance $INSTANCE_ID has no hangar:pool-id tag"
SECRET_PATH=$(imds tags/instance/hangar:secret-path) || fail "instance $INSTANCE_ID has no hangar:secret-path tag"
PARAMETER="$SECRET_PATH"
echo "hangar: instance $INSTANCE_ID runner $RUNNER_ID pool $POOL_ID"

# Scale-up writes the runner secret right after the launch; poll for it, bounded.
read_secret() {
  local waited=0 value
  while :; do
    if value=$(aws ssm get-parameter --region "$REGION" --name "$PARAMETER" --with-decryption \
      --query Parameter.Value --output text 2>/dev/null); then
      printf '%s' "$value"
      return 0
    fi
    [ "$waited" -lt "$SECRET_WAIT_SECONDS" ] || return 1
    sleep 5
    waited=$((waited + 5))
  done
}

# The secret comes first, before anything is downloaded or installed, and is deleted as soon as
# it is read: it exists in SSM only from scale-up's write until this instance's first successful
# poll, and IAM lets no other machine read it even then (docs/security.md). From here on it lives
# only in this shell's memory (never exported, never on disk) until the runner is configured.
SECRET=$(read_secret) || fail "no runner secret at $PARAMETER after $SECRET_WAIT_SECONDS s (scale-up writes it after the launch: see its logs for runner $RUNNER_ID)"
aws ssm delete-parameter --region "$REGION" --name "$PARAMETER" \
  || echo "hangar: could not delete $PARAMETER; Hangar deletes it when the runner is retired"

configure_cloudwatch_agent() {
  if ! command -v /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl >/dev/null 2>&1; then
    dnf install -y amazon-cloudwatch-agent >/dev/null 2>&1 || yum install -y amazon-cloudwatch-agent >/dev/null 2>&1 || {
      echo "hangar: CloudWatch agent unavailable; logs stay on the instance"
      return 0
    }
  fi
  cat > /opt/aws/amazon-cloudwatch-agent/etc/hangar.json <<CONFIG
{
  "logs": {
    "logs_collected": {
      "files": {
        "collect_list": [
          { "file_path": "$BOOT_LOG", "log_group_name": "$LOG_GROUP", "log_stream_name": "$INSTANCE_ID/boot" },
          { "file_path": "$RUNNER_DIR/_diag/Runner_*.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "$INSTANCE_ID/runner" },
          { "file_path": "$RUNNER_DIR/_diag/Worker_*.log", "log_group_name": "$LOG_GROUP", "log_stream_name": "$INSTANCE_ID/worker" }
        ]
      }
    }
  }
}
CONFIG
  /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
    -c file:/opt/aws/amazon-cloudwatch-agent/etc/hangar.json || echo "hangar: CloudWatch agent did not start"
}

install_runner() {
  if [ "$PREBUILT_IMAGE" = "true" ] && [ -x "$RUNNER_DIR/run.sh" ]; then
    echo "hangar: using the runner baked into the image"
    return 0
  fi
  mkdir -p "$RUNNER_DIR"
  aws s3 cp --region "$REGION" "s3://$BINARIES_BUCKET/actions-runner-linux-$RUNNER_ARCH.tar.gz" /tmp/actions-runner.tar.gz \
    || fail "cannot download actions-runner-linux-$RUNNER_ARCH.tar.gz from s3://$BINARIES_BUCKET (has binaries-syncer run?)"
  tar -xzf /tmp/actions-runner.tar.gz -C "$RUNNER_DIR"
  rm -f /tmp/actions-runner.tar.gz
  "$RUNNER_DIR/bin/installdependencies.sh" >/dev/null 2>&1 || echo "hangar: installdependencies.sh reported a problem; continuing"
}

configure_cloudwatch_agent
install_runner

id "$RUNNER_USER" >/dev/null 2>&1 || useradd --create-home "$RUNNER_USER"
chown -R "$RUNNER_USER" "$RUNNER_DIR"

# The secret is JSON (core's RunnerSecret): {"kind":"jit","jitConfig":...} for ephemeral
# runners, {"kind":"registration","token","url","name","labels","runnerGroup"} for reusable ones.
field() {
  printf '%s' "$SECRET" | python3 -c 'import json, sys
value = json.load(sys.stdin).get(sys.argv[1])
print(",".join(value) if isinstance(value, list) else ("" if value is None else value))' "$1"
}
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read the runner secret"
KIND=$(field kind) || fail "the runner secret at $PARAMETER is not JSON"

trap - ERR
set +e
case "$KIND" in
  jit)
    echo "hangar: starting just-in-time runner $RUNNER_ID as $RUNNER_USER"
    sudo -u "$RUNNER_USER" -H -- "$RUNNER_DIR/run.sh" --jitconfig "$(field jitConfig)"
    ;;
  registration)
    echo "hangar: registering reusable runner $RUNNER_ID as $RUNNER_USER"
    GROUP=$(field runnerGroup)
    sudo -u "$RUNNER_USER" -H -- "$RUNNER_DIR/config.sh" --unattended --replace --disableupdate \
      --url "$(field url)" --token "$(field token)" --name "$(field name)" --labels "$(field labels)" \
      $${GROUP:+--runnergroup "$GROUP"} \
      || fail "config.sh could not register runner $RUNNER_ID"
    sudo -u "$RUNNER_USER" -H -- "$RUNNER_DIR/run.sh"
    ;;
  *)
    fail "the runner secret at $PARAMETER has unknown kind '$KIND'"
    ;;
esac
STATUS=$?
set -e
unset SECRET
echo "hangar: runner exited with status $STATUS"

if [ "$EPHEMERAL" = "true" ]; then
  echo "hangar: ephemeral runner done; shutting down"
  shutdown -h now
fi
