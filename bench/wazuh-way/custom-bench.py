# Benchmark integration in the shape of Wazuh's integrations/slack.py: one process per alert.
# Reads the alert file integratord wrote, appends the call to logs/integrations.log (slack.py does so
# on every call), POSTs the alert as JSON to hook_url (argv[3]) with `requests` (urllib when it is
# missing), 10 s timeout, no retry, status not checked -- as slack.py. Exit codes follow slack.py:
# 2 wrong arguments, 6 alert file missing, 7 alert file not JSON.

import json
import os
import sys

try:
    import requests
except ModuleNotFoundError:
    requests = None
    import urllib.request

pwd = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
LOG_FILE = f'{pwd}/logs/integrations.log'


def debug(msg: str) -> None:
    with open(LOG_FILE, 'a') as f:
        f.write(msg + '\n')


def send_msg(msg: str, url: str) -> None:
    headers = {'content-type': 'application/json', 'Accept-Charset': 'UTF-8'}
    if requests is not None:
        requests.post(url, data=msg, headers=headers, timeout=10)
    else:
        request = urllib.request.Request(url, data=msg.encode('utf-8'), headers=headers, method='POST')
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()


def main(args: list) -> None:
    if len(args) < 4:
        debug('# ERROR: Wrong arguments')
        sys.exit(2)
    debug(' '.join(args[1:6]))
    try:
        with open(args[1]) as alert_file:
            alert = json.load(alert_file)
    except FileNotFoundError:
        sys.exit(6)
    except json.decoder.JSONDecodeError:
        sys.exit(7)
    send_msg(json.dumps(alert), args[3])


if __name__ == '__main__':
    main(sys.argv)
