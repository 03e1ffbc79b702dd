// The list of CLI commands: the only place a new command is registered.

import { check } from './check.js';
import type { Command } from './command.js';
import { demo } from './demo.js';
import { createDlqCommand } from './dlq.js';
import { explain } from './explain.js';
import { replay } from './replay.js';
import { run } from './run.js';
import { sendTest } from './send-test.js';
import { lazyQueueWriter } from '../delivery/open-queue-writer.js';

const dlq = createDlqCommand((paths) => lazyQueueWriter({ socketPath: paths.queueSocket }));

export const COMMANDS: readonly Command[] = [run, replay, check, explain, sendTest, dlq, demo];
