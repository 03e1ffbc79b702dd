// Real executable scripts for custom-integration specs, written into a temp dir.

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes `body` as an executable /bin/sh script (mode 0755 unless given) and returns its path. */
export const writeScript = async (dir: string, name: string, body: string, mode = 0o755): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
};

/**
 * A script that records what it was given into `recordDir`: argv (NUL-separated), the alert and
 * options files' contents, their path and modes, its cwd and stdin; prints one line to stdout
 * and one to stderr; exits 0.
 */
export const recorderScript = (recordDir: string): string => `d='${recordDir}'
printf '%s\\0' "$@" > "$d/argv"
cat "$1" > "$d/alert"
if [ -n "$5" ]; then cat "$5" > "$d/options"; fi
pwd > "$d/cwd"
echo "$1" > "$d/alert-path"
stat -c '%a' "$1" > "$d/alert-mode"
stat -c '%a' "$(dirname "$1")" > "$d/dir-mode"
cat > "$d/stdin"
echo "to stdout"
echo "to stderr" >&2
exit 0`;
