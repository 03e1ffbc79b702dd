// Writes a configuration's diagnostics to the log at their own severity (daemon, replay).

import { log } from '../telemetry/log.js';
import type { Diagnostic } from './diagnostic.js';

/** Logs `FILE:LINE:COL: message` as ERROR or WARNING; true when none is an error. */
export const logDiagnostics = (diagnostics: readonly Diagnostic[]): boolean => {
  for (const d of diagnostics) {
    const line = `${d.file}:${d.at.line}:${d.at.column}: ${d.message}`;
    if (d.severity === 'error') log.error(line);
    else log.warning(line);
  }
  return diagnostics.every((d) => d.severity !== 'error');
};
