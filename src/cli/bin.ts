#!/usr/bin/env node
// Entry point of the `integratord` binary.

import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
