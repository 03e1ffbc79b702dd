// The package's entry: the compiled library in dist/, or an Error that names why dist/ is missing and how to get it.
// Plain JavaScript, committed, so that it exists in a git checkout that was never built. It loads dist/ synchronously
// (require of an ES module, Node >= 20.19): no top-level await, so CommonJS apps can still require('integratord').

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(built)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  throw new Error(
    `integratord is not built: ${built} is missing. This is a git checkout installed with lifecycle scripts off ` +
      '(npm install --ignore-scripts, or a policy that skips them), so its `prepare` script never compiled dist/. ' +
      'Install the release tarball instead (npm install ./integratord-X.Y.Z.tgz, or its URL: dist/ is inside, nothing ' +
      `runs at install), or build this checkout: cd ${root} && npm install && npm run build.`,
  );
}
const library = createRequire(import.meta.url)(built);

// Every value src/index.ts exports, by name (spec/package-entry.spec.ts keeps this list equal to it).
export const {
  createIntegrator,
  DEFAULT_HIGH_WATER_MARK,
  defaultHighWaterMark,
  DEFAULT_SOURCE_BUFFER,
  DEFAULT_STALL_MS,
  DEFAULT_WAITING_PER_MARK,
  OVERFLOW_REASON,
  STOPPED_REASON,
  listDeadLetters,
  redriveDeadLetters,
  deliver,
  fromAlertsFile,
  matchBlock,
  DEFAULT_LINES_HIGH_WATER_MARK,
  fromAlertLines,
  loadConfigFile,
  loadConfigText,
  formatDiagnostic,
  Secret,
  Integrator,
  createDeliveryParts,
  createMetrics,
  configureLog,
  createLogger,
  wazuhPaths,
  IntegratordError,
} = library;
