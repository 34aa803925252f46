/**
 * `fleet backlog <op>`: thin verbs over fleetd's API (the CLI never opens the store). Every
 * verb takes --json (the API's answer, which carries tenant_id and host) and --start (start
 * fleetd detached when it is down).
 */
import type { Command } from 'commander';
import { FleetError } from '../lib/errors.js';
import {
  cardDetails,
  cardLine,
  claimHint,
  eventLine,
  reclaimLine,
  statsLine,
} from './backlog-format.js';
import {
  collect,
  fencedVerb,
  int,
  list,
  n,
  need,
  num,
  owner,
  str,
  verb,
  type Opts,
} from './backlog-verb.js';
import { repoFields, repoUpdates, withRepoOptions } from './backlog-repo.js';
import type { Register } from './commands.js';
import type { CliContext } from './context.js';
import { exitCodeFor } from './exit.js';

function registerReads(ctx: CliContext, b: Command): void {
  verb(ctx, b, 'show', 'one card with its recent events', async (c, o) => {
    const r = await c.backlog.show(need(o, 'id'));
    return { json: r, text: cardDetails(r.card, r.events) };
  }).option('--id <id>', 'card id');

  verb(ctx, b, 'list', 'cards, highest priority first', async (c, o) => {
    const r = await c.backlog.list({
      status: str(o, 'status') as 'ready' | undefined,
      phase: str(o, 'phase'),
      class: str(o, 'class'),
      ready_only: o.readyOnly === true || undefined,
      limit: n(o, 'limit'),
    });
    return { json: r, text: r.cards.length ? r.cards.map(cardLine) : 'no cards' };
  })
    .option('--status <status>', 'ready, claimed, review, blocked or done')
    .option('--phase <phase>', 'one board lane')
    .option('--class <class>', 'assignee class')
    .option('--ready-only', 'ready with every dependency done')
    .option('--limit <n>', 'at most n cards', int);

  verb(ctx, b, 'events', 'the append-only event log', async (c, o) => {
    const r = await c.backlog.events({
      id: str(o, 'id'),
      after_seq: n(o, 'after'),
      limit: n(o, 'limit'),
    });
    return { json: r, text: r.events.length ? r.events.map(eventLine) : 'no events' };
  })
    .option('--id <id>', 'one card only')
    .option('--after <seq>', 'events after this sequence number', int)
    .option('--limit <n>', 'at most n events', int);

  verb(ctx, b, 'stats', 'counts by status, oldest ready age, expired claims', async (c) => {
    const r = await c.backlog.stats();
    return { json: r, text: statsLine(r) };
  });

  verb(ctx, b, 'wait', 'wait until a card is claimable (exit 11 on timeout)', async (c, o) => {
    const seconds = n(o, 'timeout') ?? 60;
    const r = await c.backlog.wait({
      timeout_ms: Math.min(seconds * 1000, 120_000),
      class: str(o, 'class'),
    });
    return r.ready
      ? { json: r, text: `${r.ready_eligible} card(s) claimable` }
      : {
          json: r,
          text: `nothing became claimable within ${seconds}s`,
          exitCode: exitCodeFor(new FleetError('TIMEOUT', '')),
        };
  })
    .option('--timeout <seconds>', 'give up after this long (max 120)', int)
    .option('--class <class>', 'only cards for this class (or any class)');
}

function registerWrites(ctx: CliContext, b: Command): void {
  const create = verb(
    ctx,
    b,
    'create',
    'create a card (a repeated --idempotency-key returns the existing one)',
    async (c, o) => {
      const check = str(o, 'check');
      const criteria = list(o, 'criteria');
      const r = await c.backlog.create({
        id: str(o, 'id'),
        title: need(o, 'title'),
        body: str(o, 'body'),
        phase: str(o, 'phase'),
        priority: n(o, 'priority'),
        assignee_class: str(o, 'class'),
        depends_on: list(o, 'dependsOn'),
        acceptance:
          criteria || check ? { criteria: criteria ?? [], ...(check ? { check } : {}) } : undefined,
        max_attempts: n(o, 'maxAttempts'),
        idempotency_key: str(o, 'idempotencyKey'),
        projected_spend: n(o, 'projectedSpend'),
        ...repoFields(o),
        actor: ctx.env.MOSAIC_AGENT_NAME || 'cli',
      });
      return {
        json: r,
        text: `${r.created ? 'created' : 'exists (idempotency key matched)'}: ${cardLine(r.card)}`,
      };
    },
  )
    .option('--id <id>', 'stable id (generated when omitted)')
    .option('--title <title>', 'what to do')
    .option('--body <text>', 'details')
    .option('--phase <phase>', 'board lane / milestone')
    .option('--priority <n>', 'higher is sooner (default 0)', int)
    .option('--class <class>', 'assignee class (default: any)')
    .option('--depends-on <ids>', 'ids this card waits for (repeatable, comma-separated)', collect)
    .option(
      '--criteria <text>',
      'an acceptance criterion (repeatable)',
      (v: string, p: string[] = []) => [...p, v],
    )
    .option('--check <command>', 'acceptance check command')
    .option('--max-attempts <n>', 'attempts before it is blocked (default 3)', int)
    .option('--idempotency-key <key>', 'makes create repeatable')
    .option('--projected-spend <amount>', 'advisory spend projection', num);
  withRepoOptions(create);

  const update = verb(ctx, b, 'update', 'edit a card', async (c, o) => {
    const r = await c.backlog.update({
      id: need(o, 'id'),
      title: str(o, 'title'),
      body: str(o, 'body'),
      phase: str(o, 'phase'),
      priority: n(o, 'priority'),
      assignee_class: str(o, 'class'),
      max_attempts: n(o, 'maxAttempts'),
      projected_spend: n(o, 'projectedSpend'),
      actual_spend: n(o, 'actualSpend'),
      ...repoUpdates(o),
      actor: ctx.env.MOSAIC_AGENT_NAME || 'cli',
    });
    return { json: r, text: `updated: ${cardLine(r.card)}` };
  })
    .option('--id <id>', 'card id')
    .option('--title <title>')
    .option('--body <text>')
    .option('--phase <phase>')
    .option('--priority <n>', '', int)
    .option('--class <class>')
    .option('--max-attempts <n>', '', int)
    .option('--projected-spend <amount>', '', num)
    .option('--actual-spend <amount>', '', num);
  withRepoOptions(update, true);
}

function registerClaims(ctx: CliContext, b: Command): void {
  verb(ctx, b, 'claim', 'claim the highest-priority claimable card (or --id)', async (c, o) => {
    const r = await c.backlog.claim({
      owner: owner(ctx, o),
      ttl_seconds: n(o, 'ttl'),
      id: str(o, 'id'),
      class: str(o, 'class'),
    });
    return { json: r, text: r.card ? claimHint(r.card, r.place) : 'no card is claimable' };
  })
    .option('--owner <name>', 'who holds the claim (default $MOSAIC_AGENT_NAME)')
    .option('--ttl <seconds>', 'lease length (default 900)', int)
    .option('--id <id>', 'claim this card')
    .option('--class <class>', 'only cards for this class (or any class)');

  for (const name of ['renew', 'complete', 'fail'] as const) fencedVerb(ctx, b, name);

  verb(
    ctx,
    b,
    'reclaim',
    'return expired claims to the pool (or one card with --id)',
    async (c, o) => {
      const r = await c.backlog.reclaim({
        id: str(o, 'id'),
        actor: ctx.env.MOSAIC_AGENT_NAME || 'cli',
      });
      return { json: r, text: reclaimLine(r.reclaimed) };
    },
  ).option('--id <id>', 'release this claimed card now, expired or not');
}

function registerGraph(ctx: CliContext, b: Command): void {
  const actor = () => ctx.env.MOSAIC_AGENT_NAME || 'cli';
  const edge = (o: Opts) => ({
    id: need(o, 'id'),
    depends_on: need(o, 'dependsOn', 'depends-on'),
    actor: actor(),
  });
  verb(ctx, b, 'link', 'make --id wait for --depends-on (cycles are refused)', async (c, o) => {
    const r = await c.backlog.link(edge(o));
    return { json: r, text: `${r.card.id} depends on ${r.card.depends_on.join(', ')}` };
  })
    .option('--id <id>', 'the card that waits')
    .option('--depends-on <id>', 'the card it waits for');
  verb(ctx, b, 'unlink', 'remove a dependency', async (c, o) => {
    const e = edge(o);
    const r = await c.backlog.unlink(e);
    return { json: r, text: `${r.card.id} no longer depends on ${e.depends_on}` };
  })
    .option('--id <id>', 'the card that waits')
    .option('--depends-on <id>', 'the card it waits for');
  verb(ctx, b, 'block', 'park a card (drops any claim)', async (c, o) => {
    const r = await c.backlog.block({
      id: need(o, 'id'),
      reason: need(o, 'reason'),
      actor: actor(),
    });
    return { json: r, text: cardLine(r.card) };
  })
    .option('--id <id>', 'card id')
    .option('--reason <text>', 'why');
  verb(ctx, b, 'unblock', 'back to ready with fresh attempts', async (c, o) => {
    const r = await c.backlog.unblock({ id: need(o, 'id'), actor: actor() });
    return { json: r, text: cardLine(r.card) };
  }).option('--id <id>', 'card id');
  verb(
    ctx,
    b,
    'move',
    'a board move (only legal ones: e.g. blocked→ready, claimed→ready, →done)',
    async (c, o) => {
      const to = need(o, 'to');
      const r = await c.backlog.move({
        id: need(o, 'id'),
        to: to as 'ready',
        reason: str(o, 'reason'),
        actor: actor(),
      });
      return { json: r, text: cardLine(r.card) };
    },
  )
    .option('--id <id>', 'card id')
    .option('--to <status>', 'ready, blocked or done')
    .option('--reason <text>', 'why');
}

export const registerBacklog: Register = (program, ctx) => {
  const b = program.command('backlog').description('the backlog of record, through fleetd');
  registerReads(ctx, b);
  registerWrites(ctx, b);
  registerClaims(ctx, b);
  registerGraph(ctx, b);
};
