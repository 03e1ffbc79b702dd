// Runs python3 on JSON inputs: the oracle for Python-exact behaviour (json.dumps, ipaddress).

import { execFileSync } from 'node:child_process';

/**
 * Runs `script` with python3; the script reads one JSON value per stdin line (the inputs) and
 * prints one line per input. Returns the printed lines.
 */
export const runPython = (script: string, inputs: readonly unknown[]): string[] => {
  const stdin = inputs.map((i) => JSON.stringify(i)).join('\n');
  const out = execFileSync('python3', ['-c', script], { input: stdin, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines = out.split('\n');
  lines.pop();
  return lines;
};

/** python3's `json.dumps(json.loads(line))` of each input. */
export const pythonDumps = (inputs: readonly unknown[]): string[] =>
  runPython('import json,sys\nfor line in sys.stdin.read().split("\\n"):\n    print(json.dumps(json.loads(line)))', inputs);
