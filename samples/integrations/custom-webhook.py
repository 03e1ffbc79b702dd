#!/usr/bin/env python3
# A custom integration for integratord (and Wazuh): POST the alert JSON to the block's hook_url.
#
# Install as /var/ossec/integrations/custom-webhook.py, mode 0750, owner root:wazuh, and set
# <name>custom-webhook.py</name> in the <integration> block. Needs only the Python standard library.
#
# Arguments (Wazuh's contract, which integratord passes as a real argv array):
#   1 alert file (JSON when <alert_format>json</alert_format>, else Wazuh's 7-line key='value' file)
#   2 api_key or ""        3 hook_url or ""      4 "debug" or ""
#   5 options file or ""   6 timeout (seconds)   7 retries       8 "> /dev/null 2>&1" outside debug
# Exit status: 0 delivered; anything else dead-letters the alert. Like Wazuh, integratord runs the
# script once per alert (timeout and retries are the script's own); `dlq redrive` runs it again.

import json
import sys
import urllib.error
import urllib.request


def main(argv):
    if len(argv) < 4:
        print("usage: custom-webhook.py ALERT_FILE API_KEY HOOK_URL [debug] [OPTIONS_FILE] [TIMEOUT] [RETRIES]", file=sys.stderr)
        return 2
    alert_file, api_key, hook_url = argv[1], argv[2], argv[3]
    debug = len(argv) > 4 and argv[4] == "debug"
    options_file = argv[5] if len(argv) > 5 else ""
    timeout = int(argv[6]) if len(argv) > 6 and argv[6].isdigit() else 10
    if not hook_url:
        print("custom-webhook: no hook_url configured", file=sys.stderr)
        return 2

    with open(alert_file, encoding="utf-8", errors="replace") as f:
        text = f.read()
    try:
        payload = json.loads(text)
    except ValueError:
        # The legacy key='value' format (alert_format not json): send it as text.
        payload = {"legacy_alert": text}
    options = {}
    if options_file:
        with open(options_file, encoding="utf-8") as f:
            options = json.load(f)

    body = json.dumps({**payload, **options}).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if api_key:
        headers["Authorization"] = "Bearer " + api_key
    request = urllib.request.Request(hook_url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if debug:
                print("custom-webhook: delivered, HTTP", response.status)
            return 0
    except urllib.error.HTTPError as error:
        print("custom-webhook: HTTP", error.code, file=sys.stderr)
        return 1
    except (urllib.error.URLError, TimeoutError) as error:
        print("custom-webhook: cannot reach the hook:", getattr(error, "reason", error), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
