// The list of CLI commands: the only place a new command is registered; each is loaded only when it runs.

import type { Command } from './command.js';

/** A command as `integratord --help` lists it; its module (and what it imports) is loaded by `load()` only. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  load(): Promise<Command>;
}

/**
 * Loaded on demand: `check` or a dry-run `replay` does not load the daemon's HTTP server, and none
 * loads another command's dependencies (start-up is most of a short command's time).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'run', summary: 'the daemon: follow alerts.json and deliver (drop-in for wazuh-integratord)', load: async () => (await import('./run.js')).run },
  { name: 'replay', summary: 'send existing alert files (alerts.json, archives, .gz) through every block once', load: async () => (await import('./replay.js')).replay },
  { name: 'check', summary: 'validate ossec.conf and integratord.conf, and every block as run would start it; print located errors and warnings', load: async () => (await import('./check.js')).check },
  {
    name: 'explain',
    summary: 'show, per block, whether an alert is taken (or the filter that rejects it) and what would be sent',
    load: async () => (await import('./explain.js')).explain,
  },
  { name: 'send-test', summary: 'send one synthetic alert through one block and print the answers', load: async () => (await import('./send-test.js')).sendTest },
  {
    name: 'dlq',
    summary: 'list, redrive or drop dead-lettered alerts',
    load: async () => {
      const [{ createDlqCommand }, { lazyQueueWriter }] = await Promise.all([import('./dlq.js'), import('../delivery/open-queue-writer.js')]);
      return createDlqCommand((paths) => lazyQueueWriter({ socketPath: paths.queueSocket }));
    },
  },
  { name: 'cursor', summary: "list a block's read position in alerts.json, or set or reset it (with the daemon stopped)", load: async () => (await import('./cursor.js')).cursor },
  { name: 'silence', summary: 'add, list or expire silences: alerts matching them are not delivered until they expire', load: async () => (await import('./silence.js')).silence },
  { name: 'demo', summary: 'run the sample config and alerts against local stand-in services (npm start)', load: async () => (await import('./demo.js')).demo },
];
