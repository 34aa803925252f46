/** The shape every `fleet backlog` verb shares: option parsing, --json/--start, one answer. */
import { InvalidArgumentError, type Command } from 'commander';
import { usage } from '../lib/errors.js';
import type { FleetdClient } from '../lib/client/fleetd.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';

export type Opts = Record<string, string | string[] | boolean | number | undefined>;
export interface Answer {
  json: unknown;
  text: string | string[];
  exitCode?: number;
}

export const int = (v: string): number => {
  if (!/^-?\d+$/.test(v)) throw new InvalidArgumentError('not an integer');
  return Number(v);
};
export const num = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('not a number');
  return n;
};
export const collect = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

export const str = (o: Opts, k: string) =>
  typeof o[k] === 'string' ? (o[k] as string) : undefined;
export const n = (o: Opts, k: string) => (typeof o[k] === 'number' ? (o[k] as number) : undefined);
export const list = (o: Opts, k: string) =>
  Array.isArray(o[k]) && (o[k] as string[]).length ? (o[k] as string[]) : undefined;

export function need(o: Opts, k: string, flag = k): string {
  const v = str(o, k);
  if (v === undefined) throw usage(`--${flag} is required`);
  return v;
}

export function owner(ctx: CliContext, o: Opts): string {
  const v = str(o, 'owner') ?? ctx.env.MOSAIC_AGENT_NAME;
  if (!v) throw usage('--owner is required (or set MOSAIC_AGENT_NAME)');
  return v;
}

export function verb(
  ctx: CliContext,
  parent: Command,
  name: string,
  description: string,
  run: (c: FleetdClient, o: Opts) => Promise<Answer>,
): Command {
  return parent
    .command(name)
    .description(description)
    .option('--json', 'print the JSON answer')
    .option('--start', 'start fleetd (detached) if it is not running')
    .action(async (o: Opts) => {
      const client = await connectFleetd(ctx, { start: o.start === true });
      try {
        const answer = await run(client, o);
        if (o.json) printJson(ctx, answer.json);
        else for (const line of [answer.text].flat()) ctx.out(line);
        if (answer.exitCode) process.exitCode = answer.exitCode;
      } finally {
        client.close();
      }
    });
}
