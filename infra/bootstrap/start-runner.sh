#!/bin/bash
# Hangar EC2 runner boot script (Linux: Amazon Linux 2023/2, Ubuntu). Rendered by Terraform
# templatefile(): values in $${...} come from the module (docs/infra.md lists them; a
# userdata_template gets the same); everything per runner comes from this instance's own tags.
# Any failure shuts the instance down (instance_initiated_shutdown_behavior = terminate), so a
# broken boot never leaves a paid, useless instance behind.
set -euo pipefail

REGION="${region}"
BINARIES_BUCKET="${binaries_bucket}"
RUNNER_ARCH="${runner_arch}"
RUNNER_USER="${runner_user}"
RUNNER_AS_ROOT="${runner_as_root}"
PREBUILT_IMAGE="${prebuilt_image}"
EPHEMERAL="${ephemeral}"
INSTALL_DOCKER="${install_docker}"
LOG_GROUP="${log_group}"
SECRET_WAIT_SECONDS="${secret_wait_s}"
ENABLE_CLOUDWATCH_AGENT="${enable_cloudwatch_agent}"
CLOUDWATCH_CONFIG_BASE64="${cloudwatch_config_base64}"
PRE_INSTALL_BASE64="${pre_install_base64}"
POST_INSTALL_BASE64="${post_install_base64}"
HOOK_JOB_STARTED_BASE64="${hook_job_started_base64}"
HOOK_JOB_COMPLETED_BASE64="${hook_job_completed_base64}"
RUNNER_DIR=/opt/actions-runner
HANGAR_DIR=/opt/hangar
BOOT_LOG=/var/log/hangar-boot.log
# snap puts the AWS CLI there on Ubuntu images that need it (ensure_aws_cli).
export PATH="$PATH:/snap/bin"

exec > >(tee -a "$BOOT_LOG") 2>&1

fail() {
  echo "hangar: boot failed: $1 (not retryable on this instance; shutting down)"
  shutdown -h now
  exit 1
}
trap 'fail "unexpected error on line $LINENO"' ERR

[ "$RUNNER_AS_ROOT" = "true" ] && RUNNER_USER=root

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

# The image's package manager: dnf (Amazon Linux 2023), yum (Amazon Linux 2) or apt-get
# (Ubuntu, Debian). Nothing below needs a tool only one of them has.
PKG=''
for candidate in dnf yum apt-get; do
  if command -v "$candidate" >/dev/null 2>&1; then
    PKG=$candidate
    break
  fi
done
APT_UPDATED=false
pkg_install() {
  case "$PKG" in
    dnf | yum) "$PKG" install -y "$@" ;;
    apt-get)
      if [ "$APT_UPDATED" = false ]; then
        apt-get update -y
        APT_UPDATED=true
      fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
      ;;
    *) return 1 ;;
  esac
}

# Amazon Linux ships the AWS CLI, Ubuntu images do not, and it reads the secret: there it is
# installed first, the only install before the secret read (prebuild the image with the CLI to
# keep the secret's window at its shortest).
ensure_aws_cli() {
  command -v aws >/dev/null 2>&1 && return 0
  echo "hangar: installing the AWS CLI (this image has none)"
  pkg_install awscli >/dev/null 2>&1 || snap install aws-cli --classic >/dev/null 2>&1 || true
  command -v aws >/dev/null 2>&1 || fail "the AWS CLI is needed to read the runner secret and could not be installed; add it to the image"
}
ensure_aws_cli

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

# userdata_pre_install / userdata_post_install: each its own bash script, run as root with the
# runner's identity in its environment (never the secret); a failing snippet fails the boot.
run_snippet() {
  local name=$1 body
  body=$(printf '%s' "$2" | base64 -d)
  [ -n "$body" ] || return 0
  mkdir -p "$HANGAR_DIR"
  printf '%s\n' "$body" > "$HANGAR_DIR/$name.sh"
  chmod 700 "$HANGAR_DIR/$name.sh"
  echo "hangar: running $name"
  local status=0
  env HANGAR_INSTANCE_ID="$INSTANCE_ID" HANGAR_RUNNER_ID="$RUNNER_ID" HANGAR_POOL_ID="$POOL_ID" \
    HANGAR_RUNNER_DIR="$RUNNER_DIR" HANGAR_RUNNER_USER="$RUNNER_USER" bash "$HANGAR_DIR/$name.sh" || status=$?
  [ "$status" -eq 0 ] || fail "$name exited with status $status"
}

configure_cloudwatch_agent() {
  if [ "$ENABLE_CLOUDWATCH_AGENT" != "true" ]; then
    echo "hangar: CloudWatch agent off (enable_cloudwatch_agent = false)"
    return 0
  fi
  local ctl=/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl arch=amd64
  if [ ! -x "$ctl" ]; then
    case "$PKG" in
      dnf | yum) pkg_install amazon-cloudwatch-agent >/dev/null 2>&1 || true ;;
      apt-get)
        # Not in Ubuntu's archive: Amazon publishes a .deb per architecture.
        [ "$RUNNER_ARCH" = arm64 ] && arch=arm64
        if curl -sfL -o /tmp/amazon-cloudwatch-agent.deb \
          "https://amazoncloudwatch-agent.s3.amazonaws.com/ubuntu/$arch/latest/amazon-cloudwatch-agent.deb"; then
          dpkg -i -E /tmp/amazon-cloudwatch-agent.deb >/dev/null 2>&1 || true
        fi
        rm -f /tmp/amazon-cloudwatch-agent.deb
        ;;
    esac
  fi
  if [ ! -x "$ctl" ]; then
    echo "hangar: CloudWatch agent unavailable; logs stay on the instance"
    return 0
  fi
  mkdir -p /opt/aws/amazon-cloudwatch-agent/etc
  printf '%s' "$CLOUDWATCH_CONFIG_BASE64" | base64 -d > /opt/aws/amazon-cloudwatch-agent/etc/hangar.json
  "$ctl" -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/hangar.json \
    || echo "hangar: CloudWatch agent did not start"
}

create_runner_user() {
  [ "$RUNNER_USER" = root ] && return 0
  id "$RUNNER_USER" >/dev/null 2>&1 || useradd --create-home "$RUNNER_USER"
}

# Docker for `container:` jobs and docker steps, usable by the runner user; a prebuilt image
# brings its own.
install_docker() {
  [ "$INSTALL_DOCKER" = "true" ] || return 0
  if [ "$PREBUILT_IMAGE" = "true" ]; then
    echo "hangar: prebuilt image: Docker is not installed at boot"
    return 0
  fi
  if ! command -v docker >/dev/null 2>&1; then
    echo "hangar: installing Docker with $${PKG:-no package manager}"
    case "$PKG" in
      dnf | yum) pkg_install docker >/dev/null 2>&1 || fail "Docker could not be installed with $PKG" ;;
      apt-get) pkg_install docker.io >/dev/null 2>&1 || fail "Docker could not be installed with apt-get" ;;
      *) fail "no dnf, yum or apt-get to install Docker with; prebuild the image or set install_docker = false" ;;
    esac
  fi
  systemctl enable --now docker >/dev/null 2>&1 || fail "Docker did not start"
  if [ "$RUNNER_USER" != root ]; then usermod -aG docker "$RUNNER_USER"; fi
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

# runner_hook_job_started / _completed: root-owned scripts the runner runs before and after each
# job, named in the runner's .env (read by the runner at start).
install_hook() {
  local name=$1 variable=$3 body
  body=$(printf '%s' "$2" | base64 -d)
  [ -n "$body" ] || return 0
  mkdir -p "$HANGAR_DIR/hooks"
  printf '%s\n' "$body" > "$HANGAR_DIR/hooks/$name.sh"
  chmod 755 "$HANGAR_DIR/hooks/$name.sh"
  echo "$variable=$HANGAR_DIR/hooks/$name.sh" >> "$RUNNER_DIR/.env"
}

run_snippet userdata_pre_install "$PRE_INSTALL_BASE64"
configure_cloudwatch_agent
create_runner_user
install_docker
install_runner
install_hook job-started "$HOOK_JOB_STARTED_BASE64" ACTIONS_RUNNER_HOOK_JOB_STARTED
install_hook job-completed "$HOOK_JOB_COMPLETED_BASE64" ACTIONS_RUNNER_HOOK_JOB_COMPLETED
[ "$RUNNER_USER" = root ] || chown -R "$RUNNER_USER" "$RUNNER_DIR"
run_snippet userdata_post_install "$POST_INSTALL_BASE64"

# The secret is JSON (core's RunnerSecret): {"kind":"jit","jitConfig":...} for ephemeral
# runners, {"kind":"registration","token","url","name","labels","runnerGroup"[,"ephemeral",
# "noDefaultLabels"]} for reusable ones and for ephemeral ones without JIT configs.
field() {
  printf '%s' "$SECRET" | python3 -c 'import json, sys
value = json.load(sys.stdin).get(sys.argv[1])
if isinstance(value, bool): value = str(value).lower()
print(",".join(value) if isinstance(value, list) else ("" if value is None else value))' "$1"
}
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read the runner secret"
KIND=$(field kind) || fail "the runner secret at $PARAMETER is not JSON"

# As the runner user (sudo starts a login with its groups, docker included), or as root when
# runner_as_root: the runner refuses root unless RUNNER_ALLOW_RUNASROOT is set.
as_runner() {
  if [ "$RUNNER_USER" = root ]; then
    env RUNNER_ALLOW_RUNASROOT=1 "$@"
  else
    sudo -u "$RUNNER_USER" -H -- "$@"
  fi
}

trap - ERR
set +e
case "$KIND" in
  jit)
    echo "hangar: starting just-in-time runner $RUNNER_ID as $RUNNER_USER"
    as_runner "$RUNNER_DIR/run.sh" --jitconfig "$(field jitConfig)"
    ;;
  registration)
    GROUP=$(field runnerGroup)
    FLAGS=()
    [ "$(field ephemeral)" = true ] && FLAGS+=(--ephemeral)
    [ "$(field noDefaultLabels)" = true ] && FLAGS+=(--no-default-labels)
    echo "hangar: registering runner $RUNNER_ID as $RUNNER_USER $${FLAGS[*]}"
    as_runner "$RUNNER_DIR/config.sh" --unattended --replace --disableupdate \
      --url "$(field url)" --token "$(field token)" --name "$(field name)" --labels "$(field labels)" \
      $${GROUP:+--runnergroup "$GROUP"} $${FLAGS[@]+"$${FLAGS[@]}"} \
      || fail "config.sh could not register runner $RUNNER_ID"
    as_runner "$RUNNER_DIR/run.sh"
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
