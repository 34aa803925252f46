/** The shape every `fleet backlog` verb shares: option parsing, --json/--start, one answer. */
import { InvalidArgumentError, type Command } from 'commander';
import type { FleetdClient } from '../lib/client/fleetd.js';
import { answer, intOf, numOf, VERB_SWITCHES, type Answer, type Opts } from './backlog-answer.js';
import { CLAIM_OPTIONS, FENCED, fencedRun, type FencedName } from './backlog-report.js';
import type { CliContext } from './context.js';

export { list, n, need, owner, str, type Answer, type Opts } from './backlog-answer.js';

export const int = (v: string): number => {
  const n = intOf(v);
  if (n === undefined) throw new InvalidArgumentError('not an integer');
  return n;
};
export const num = (v: string): number => {
  const n = numOf(v);
  if (n === undefined) throw new InvalidArgumentError('not a number');
  return n;
};
export const collect = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** A verb with the shared switches, whose action gets the parsed options. */
export function verbCommand(
  parent: Command,
  name: string,
  description: string,
  action: (o: Opts) => Promise<void>,
): Command {
  const cmd = parent.command(name).description(description);
  for (const w of VERB_SWITCHES) cmd.option(`--${w.name}`, w.description);
  return cmd.action(action);
}

export function verb(
  ctx: CliContext,
  parent: Command,
  name: string,
  description: string,
  run: (c: FleetdClient, o: Opts) => Promise<Answer>,
): Command {
  return verbCommand(parent, name, description, (o) => answer(ctx, o, run));
}

/**
 * A verb on a held claim, registered from its one definition (cli/backlog-report.ts, which
 * also runs its plain form without this parser). `action` is the test's way to see the options.
 */
export function fencedVerb(
  ctx: CliContext,
  parent: Command,
  name: FencedName,
  action: (o: Opts) => Promise<void> = (o) => answer(ctx, o, fencedRun(ctx, FENCED[name])),
): Command {
  const spec = FENCED[name];
  const cmd = verbCommand(parent, name, spec.description, action);
  for (const o of [...CLAIM_OPTIONS, ...spec.options]) {
    if (o.kind === 'text') cmd.option(o.flags, o.description);
    else cmd.option(o.flags, o.description, o.kind === 'int' ? int : num);
  }
  return cmd;
}
