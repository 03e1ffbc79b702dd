// --dry-run lines gathered into one write per 64 KiB or per turn of the event loop, instead of one write per line.

/** Lines written at once: a pipe takes 64 KiB per write on Linux. */
export const DRY_RUN_CHUNK_CHARS = 64 * 1024;

export interface LineOutput {
  /** Adds one line (without its newline); written at the latest on the next turn of the event loop. */
  write(line: string): void;
  /** Writes whatever is held now. */
  flush(): void;
}

/**
 * Joins lines (each given its "\n") and hands them to `write` in chunks of about DRY_RUN_CHUNK_CHARS,
 * at the latest on the next turn of the event loop (setImmediate), so nothing waits for more lines:
 * a dry run of 10,000 matches makes ~150 writes, not 10,000 (each a syscall on a pipe or terminal).
 */
export const lineOutput = (write: (chunk: string) => void): LineOutput => {
  let held: string[] = [];
  let chars = 0;
  let scheduled: NodeJS.Immediate | undefined;
  const flush = (): void => {
    if (scheduled !== undefined) clearImmediate(scheduled);
    scheduled = undefined;
    if (held.length === 0) return;
    const chunk = held.join('');
    held = [];
    chars = 0;
    write(chunk);
  };
  return {
    write(line) {
      held.push(`${line}\n`);
      chars += line.length + 1;
      if (chars >= DRY_RUN_CHUNK_CHARS) flush();
      else scheduled ??= setImmediate(flush);
    },
    flush,
  };
};
