#!/usr/bin/env bash
# A custom integration for integratord (and Wazuh) in bash: POST the alert file to the hook_url with curl.
#
# Install as /var/ossec/integrations/custom-webhook.sh, mode 0750, owner root:wazuh, and set
# <name>custom-webhook.sh</name>. Arguments are Wazuh's contract (see custom-webhook.py):
#   $1 alert file  $2 api_key  $3 hook_url  $4 debug|""  $5 options file|""  $6 timeout  $7 retries
# Exit status: 0 delivered; anything else dead-letters the alert. Like Wazuh, integratord runs the
# script once per alert (timeout and retries are the script's own); `dlq redrive` runs it again.
set -u

alert_file=${1:?alert file}
api_key=${2:-}
hook_url=${3:-}
debug=${4:-}
timeout=${6:-10}

if [ -z "$hook_url" ]; then
  echo "custom-webhook.sh: no hook_url configured" >&2
  exit 2
fi

auth=()
if [ -n "$api_key" ]; then
  # Read the key from stdin (-H @-) so that it never shows in this process's argv (ps).
  auth=(-H @-)
fi

status=$(printf 'Authorization: Bearer %s\n' "$api_key" | curl --silent --show-error --output /dev/null \
  --write-out '%{http_code}' --max-time "$timeout" \
  -H 'Content-Type: application/json' "${auth[@]}" \
  --data-binary "@$alert_file" "$hook_url") || { echo "custom-webhook.sh: curl failed" >&2; exit 1; }

[ "$debug" = "debug" ] && echo "custom-webhook.sh: HTTP $status"
case "$status" in
  2??) exit 0 ;;
  *) echo "custom-webhook.sh: HTTP $status" >&2; exit 1 ;;
esac
