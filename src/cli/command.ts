// The shape of one CLI command and the exit codes every command shares.

/** Exit codes: documented in `integratord --help` and the README. */
export const EXIT = {
  ok: 0,
  /** Invalid configuration, unreadable file, runtime failure. */
  failure: 1,
  /** Wrong arguments. */
  usage: 2,
  /** replay / dlq redrive: finished, but some alerts were dead-lettered. */
  deadLettered: 3,
} as const;

export interface CommandIo {
  /** What `-` reads (replay, explain); absent when the caller has no standard input to give. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export interface Command {
  readonly name: string;
  /** Full help text printed by `integratord <name> --help` (main() prints it; `run` never sees --help). */
  readonly help: string;
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}
