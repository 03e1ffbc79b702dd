// A located problem in ossec.conf: what `check` prints as FILE:LINE:COL: severity: message.

/** 1-based line and column in the original file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  readonly file: string;
  readonly at: Position;
  readonly severity: Severity;
  readonly message: string;
}

/** `FILE:LINE:COL: error: message` — the format editors and CI annotators understand. */
export const formatDiagnostic = (d: Diagnostic): string =>
  `${d.file}:${d.at.line}:${d.at.column}: ${d.severity}: ${d.message}`;

/** Sorts by line then column, errors before warnings at the same place. */
export const byPosition = (a: Diagnostic, b: Diagnostic): number =>
  a.at.line - b.at.line || a.at.column - b.at.column || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1);
