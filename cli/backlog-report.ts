/**
 * The verbs an agent runs on the card it holds: `fleet backlog renew|complete|fail --id --owner
 * --fence`. Each is defined once here, as data: cli/backlog.ts registers it with the command
 * parser, and `quickReport` runs the plain form an agent types (the lines in its card's prompt)
 * without loading the parser at all. Anything else — help, an unknown or repeated option, a
 * value that is not what the option takes — is left to the parser, so its usage errors stay
 * the only ones (docs/pitfalls.md "CLI start-up").
 */
import { usage } from '../lib/errors.js';
import type { FleetdClient } from '../lib/client/fleetd.js';
import {
  answer,
  intOf,
  n,
  need,
  numOf,
  owner,
  VERB_SWITCHES,
  type Answer,
  type Opts,
} from './backlog-answer.js';
import type { CliContext } from './context.js';

export interface VerbOption {
  /** as the parser takes it: `--name <value>` */
  flags: string;
  /** the name the parser files the value under (camelCase of the flag) */
  key: string;
  description: string;
  kind: 'text' | 'int' | 'num';
}

export interface Fence {
  id: string;
  owner: string;
  fence: number;
}

export interface FencedVerb {
  description: string;
  /** the verb's own options, after those of the claim */
  options: readonly VerbOption[];
  run(c: FleetdClient, o: Opts, f: Fence): Promise<Answer>;
}

/** The claim a fenced verb reports on. */
export const CLAIM_OPTIONS: readonly VerbOption[] = [
  { flags: '--id <id>', key: 'id', description: 'card id', kind: 'text' },
  {
    flags: '--owner <name>',
    key: 'owner',
    description: 'claim owner (default $MOSAIC_AGENT_NAME)',
    kind: 'text',
  },
  { flags: '--fence <n>', key: 'fence', description: 'fence token from the claim', kind: 'int' },
];

export const FENCED: Readonly<Record<'renew' | 'complete' | 'fail', FencedVerb>> = {
  renew: {
    description: 'extend the lease of your claim',
    options: [
      {
        flags: '--ttl <seconds>',
        key: 'ttl',
        description: 'new lease length from now (default 900)',
        kind: 'int',
      },
    ],
    async run(c, o, f) {
      const r = await c.backlog.renew({ ...f, ttl_seconds: n(o, 'ttl') });
      return { json: r, text: `renewed ${r.card.id} until ${r.card.lease_expires_at}` };
    },
  },
  complete: {
    description: 'mark your claimed card done',
    options: [
      {
        flags: '--actual-spend <amount>',
        key: 'actualSpend',
        description: 'advisory actual spend',
        kind: 'num',
      },
    ],
    async run(c, o, f) {
      const r = await c.backlog.complete({ ...f, actual_spend: n(o, 'actualSpend') });
      return { json: r, text: `completed ${r.card.id}` };
    },
  },
  fail: {
    description: 'give your claimed card back with a reason',
    options: [
      { flags: '--reason <text>', key: 'reason', description: 'what went wrong', kind: 'text' },
    ],
    async run(c, o, f) {
      const r = await c.backlog.fail({ ...f, reason: need(o, 'reason') });
      const how =
        r.card.status === 'blocked' ? `blocked: ${r.card.blocked_reason}` : 'back to ready';
      return {
        json: r,
        text: `${r.card.id} failed (attempt ${r.card.attempts} of ${r.card.max_attempts}), ${how}`,
      };
    },
  },
};

export type FencedName = keyof typeof FENCED;

/** A fenced verb's run, with the claim read from its options (the same for both ways in). */
export function fencedRun(
  ctx: CliContext,
  verb: FencedVerb,
): (c: FleetdClient, o: Opts) => Promise<Answer> {
  return (c, o) => {
    const fence = n(o, 'fence');
    if (fence === undefined) throw usage('--fence is required (claim printed it)');
    return verb.run(c, o, { id: need(o, 'id'), owner: owner(ctx, o), fence });
  };
}

const isFenced = (name: string | undefined): name is FencedName =>
  name !== undefined && Object.prototype.hasOwnProperty.call(FENCED, name);

/**
 * The options of `backlog <fenced verb> --name value …` as the parser would file them, or null
 * for anything the parser should see: only `--name value` and `--name=value` pairs of the verb's
 * own options (a value neither empty nor starting with `-`), `--json` and `--start`, each once.
 */
export function quickOptions(argv: readonly string[]): { verb: FencedName; opts: Opts } | null {
  const [group, name, ...rest] = argv;
  if (group !== 'backlog' || !isFenced(name)) return null;
  const byName = new Map(
    [...CLAIM_OPTIONS, ...FENCED[name].options].map((o) => [o.flags.split(' ')[0]!.slice(2), o]),
  );
  const switches = new Set<string>(VERB_SWITCHES.map((w) => w.name));
  const opts: Opts = {};
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('--')) return null;
    const eq = word.indexOf('=');
    const flag = word.slice(2, eq < 0 ? undefined : eq);
    if (switches.has(flag)) {
      if (eq >= 0 || flag in opts) return null;
      opts[flag] = true;
      continue;
    }
    const option = byName.get(flag);
    if (!option || option.key in opts) return null;
    const text = eq >= 0 ? word.slice(eq + 1) : rest[++i];
    if (text === undefined || text === '' || text.startsWith('-')) return null;
    const value = option.kind === 'int' ? intOf(text) : option.kind === 'num' ? numOf(text) : text;
    if (value === undefined) return null;
    opts[option.key] = value;
  }
  return { verb: name, opts };
}

/** Run the plain form of a fenced verb; false when it is not one (the parser takes it). */
export async function quickReport(ctx: CliContext, argv: readonly string[]): Promise<boolean> {
  const q = quickOptions(argv);
  if (!q) return false;
  await answer(ctx, q.opts, fencedRun(ctx, FENCED[q.verb]));
  return true;
}
