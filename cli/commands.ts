import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { registerAgentRoster } from './agent-roster.js';
import { registerInit } from './init.js';
import { registerLibrary } from './library.js';
import { registerRoster } from './roster.js';

/** Every top-level command registers itself here; one file per command under cli/. */
export type Register = (program: Command, ctx: CliContext) => void;

export const commands: Register[] = [
  registerInit,
  registerRoster,
  registerAgentRoster,
  registerLibrary,
];
