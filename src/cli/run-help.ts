// `integratord run --help`: the daemon's options, state rules, signals and exit codes.

import { LOG_HELP } from './log-options.js';
import { SHARED_STATE_HELP } from './shared-state-options.js';
import { workersHelp } from './workers-option.js';

export const runHelp = `Usage: integratord run [--home DIR] [-c FILE] [--alerts FILE] [--state DIR] [options]

The daemon: a drop-in for wazuh-integratord. Reads the <integration> blocks of ossec.conf and
integratord.conf (when it exists; their blocks numbered in that order), runs
Wazuh's startup checks, follows alerts.json (through daily rotation) and delivers each alert to
every block whose filters take it, with timeouts, retries and dead letters. Each block keeps a
durable cursor: after a restart (or kill -9) it resumes where it was, losing nothing.

Options:
  --home DIR         Wazuh home (default /var/ossec)
  -c, --config FILE  read this file alone (default: DIR/etc/ossec.conf and DIR/etc/integratord.conf)
  --alerts FILE      alerts file (default DIR/logs/alerts/alerts.json)
  --state DIR        cursors, dead letters, rejected lines (default DIR/var/integratord)
  --from-beginning   blocks without a cursor read alerts.json from its start (default: the end, like Wazuh)
  --http ADDR        serve /metrics and /healthz on HOST:PORT (a bare PORT binds 127.0.0.1)
  --http-allow-remote  let --http listen beyond loopback (0.0.0.0, [::], a routable address)
  --http-token-file FILE  require \`Authorization: Bearer <token in FILE>\` on /metrics and /healthz
  --grace SECONDS    on SIGTERM/SIGINT, time left to deliveries in flight (default 5)
  --concurrency N    alerts one block delivers at once (default 4; 1 keeps the order)
${workersHelp(21)}
  --enrichment-out FILE  VirusTotal/Maltiverse events to FILE (JSON Lines) instead of Wazuh's queue socket
  --redrive-base SECONDS  first wait before a dead letter with a transient cause (connection error,
                     timeout, 408, 429, 5xx) is sent again by itself; doubles to 1 h (default 30)
  --redrive-max-age DURATION  how long such a dead letter is redriven automatically, counted from its
                     first failure: 30s, 5m, 2h, 1d (default 24h); 0 turns automatic redrive off
  --max-line-bytes N longest alert line read (default 1048576; longer ones go to rejected-lines.jsonl)
  --rotate-wait DURATION  after a rotation, read the old file until it has been idle this long, then
                     the new one (default 5s; a writer may reopen the name late; 0: switch at once)
  --dry-run          send nothing and move no cursor: print one JSON line per would-be action on stdout
  --show-secrets     with --dry-run: print api_key and hook_url instead of **REDACTED**
${SHARED_STATE_HELP}
${LOG_HELP}
  -h, --help         show this help

State: created 0700; refused (exit 1) when it or a subdirectory is a symlink, not a directory,
owned by another user, group/world-writable or not writable. One daemon per state directory: a
second 'run' on it exits 1 naming the pid that holds STATE/integratord.lock.

Signals: SIGTERM/SIGINT stop reading, let deliveries finish within --grace, save cursors, exit 0
(exit 1 with an ERROR naming them when a cursor could not be saved).
SIGHUP re-reads the configuration: if valid, only changed blocks restart (from their cursor); if not,
the errors are logged and the running configuration stays. SIGHUP also reopens --log-file.

Exit codes: 0 stopped cleanly (or no <integration> configured), 1 invalid configuration, unusable
or busy state directory, cursors not saved or runtime error, 2 wrong arguments.`;
