/**
 * What every `fleet backlog` verb shares once its options are parsed: reading them, asking
 * fleetd, printing the answer. Nothing here loads the command parser, so the reports an agent
 * makes on every card (cli/backlog-report.ts) can run without it (docs/pitfalls.md "CLI start-up").
 */
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

/** The switches every backlog verb takes: registered by cli/backlog-verb.ts, read by the quick path. */
export const VERB_SWITCHES: readonly { name: 'json' | 'start'; description: string }[] = [
  { name: 'json', description: 'print the JSON answer' },
  { name: 'start', description: 'start fleetd (detached) if it is not running' },
];

/** An integer option's value, or undefined when the text is not one. */
export const intOf = (v: string): number | undefined => (/^-?\d+$/.test(v) ? Number(v) : undefined);
/** A number option's value, or undefined when the text is not one. */
export const numOf = (v: string): number | undefined => {
  const n = Number(v);
  return v.trim() === '' || !Number.isFinite(n) ? undefined : n;
};

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

/** A verb's action: fleetd asked (started first with --start), the answer printed. */
export async function answer(
  ctx: CliContext,
  o: Opts,
  run: (c: FleetdClient, o: Opts) => Promise<Answer>,
): Promise<void> {
  const client = await connectFleetd(ctx, { start: o.start === true });
  try {
    const a = await run(client, o);
    if (o.json) printJson(ctx, a.json);
    else for (const line of [a.text].flat()) ctx.out(line);
    if (a.exitCode) process.exitCode = a.exitCode;
  } finally {
    client.close();
  }
}
