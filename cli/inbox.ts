/**
 * `fleet inbox`: what needs the operator (docs/attention.md), from fleetd's one inbox
 * (lib/ops/inbox.ts): list it (`--watch` to follow), acknowledge an item, or answer it with one
 * of its actions — the same answers as the panel's buttons.
 */
import os from 'node:os';
import type { Command } from 'commander';
import { ATTENTION_ACTIONS, type AttentionItem, type InboxView } from '../lib/attention/types.js';
import { usage } from '../lib/errors.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';
import { age, dash, renderTable } from './table.js';

const operator = (ctx: CliContext) => `${os.hostname()}:${ctx.env.USER || os.userInfo().username}`;

function subject(i: AttentionItem): string {
  return [i.agent, i.card].filter(Boolean).join(' ') || 'fleet';
}

export function renderInbox(v: InboxView, nowMs = Date.now()): string {
  if (!v.items.length) return 'inbox: nothing needs you';
  const rows = v.items.map((i) => [
    i.id,
    i.reason,
    subject(i),
    age((nowMs - Date.parse(i.since)) / 1000),
    i.acked_at ? `ack ${dash(i.acked_by)}` : '-',
    i.actions.join(',') || '-',
    i.title,
  ]);
  return [
    `inbox: ${v.unacked} need you (${v.items.length} open)`,
    renderTable(['ID', 'REASON', 'SUBJECT', 'SINCE', 'ACK', 'ACTIONS', 'TITLE'], rows),
  ].join('\n');
}

export function registerInbox(program: Command, ctx: CliContext): void {
  const inbox = program
    .command('inbox')
    .description('what needs you: agents waiting, rate limits, failures, blocked cards, PAUSE')
    .option('--json', 'print the inbox as JSON')
    .option('--watch', 'keep printing the inbox when it changes (Ctrl-C to stop)')
    .option('--evidence', 'print each item’s evidence under it')
    .action(async (o: { json?: boolean; watch?: boolean; evidence?: boolean }) => {
      const client = await connectFleetd(ctx);
      const render = (v: InboxView) => {
        if (o.json) return printJson(ctx, v);
        ctx.out(renderInbox(v));
        if (o.evidence)
          for (const i of v.items) ctx.out(`\n${i.id} ${i.reason} (${subject(i)}):\n${i.evidence}`);
      };
      try {
        if (!o.watch) return render(await client.inbox.list());
        let last = '';
        const stop = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
        let stopped = false;
        void stop.then(() => (stopped = true));
        while (!stopped) {
          const v = await client.inbox.list();
          const key = JSON.stringify(v.items.map((i) => [i.id, i.acked_at, i.updated_at]));
          if (key !== last) {
            last = key;
            if (!o.json) ctx.out(`--- ${new Date().toISOString()}`);
            render(v);
          }
          await Promise.race([stop, new Promise((r) => setTimeout(r, 1000))]);
        }
      } finally {
        client.close();
      }
    });

  inbox
    .command('ack')
    .description('acknowledge an item: it stays until its cause goes, but stops counting')
    .argument('<id>')
    .option('--json')
    .action(async (id: string, o: { json?: boolean }) => {
      const client = await connectFleetd(ctx);
      try {
        const r = await client.inbox.ack(id, operator(ctx));
        if (o.json) return printJson(ctx, r);
        ctx.out(`acknowledged ${r.item.id} (${r.item.reason}): ${r.item.title}`);
      } finally {
        client.close();
      }
    });

  inbox
    .command('act')
    .description(`answer an item: ${ATTENTION_ACTIONS.join(' | ')}`)
    .argument('<id>')
    .argument('<action>')
    .argument('[text...]', 'the reply (action reply)')
    .option('--json')
    .action(async (id: string, action: string, words: string[], o: { json?: boolean }) => {
      if (!(ATTENTION_ACTIONS as readonly string[]).includes(action))
        throw usage(`action must be one of ${ATTENTION_ACTIONS.join(', ')}`);
      const client = await connectFleetd(ctx);
      try {
        const r = await client.inbox.act({
          id,
          action: action as (typeof ATTENTION_ACTIONS)[number],
          ...(words.length ? { text: words.join(' ') } : {}),
          by: operator(ctx),
        });
        if (o.json) return printJson(ctx, r);
        ctx.out(r.message);
      } finally {
        client.close();
      }
    });
}
