// The list of CLI commands: the only place a new command is registered.

import { check } from './check.js';
import type { Command } from './command.js';
import { dlq } from './dlq.js';

export const COMMANDS: readonly Command[] = [check, dlq];
