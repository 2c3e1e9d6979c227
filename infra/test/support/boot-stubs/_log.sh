# Sourced by every stub: appends one line to $HARNESS/calls.log — nanosecond time, command,
# then each argument base64-encoded (arguments may hold spaces, quotes or newlines) — and the
# stub's environment to $HARNESS/envs.log, so a test can check what each command was given.
harness_log() {
  local name line arg
  name=$(basename "$0")
  line="$(date +%s%N) $name"
  for arg in "$@"; do line="$line $(printf '%s' "$arg" | base64 -w0)"; done
  printf '%s\n' "$line" >> "$HARNESS/calls.log"
  { printf '### %s\n' "$name"; env; } >> "$HARNESS/envs.log"
}
# A file of the sandbox's state for a key that may contain slashes: <dir>/<key with / as %2F>.
harness_file() {
  printf '%s/%s/%s' "$HARNESS" "$1" "$(printf '%s' "$2" | sed 's|/|%2F|g')"
}
