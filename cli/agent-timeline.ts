/**
 * `fleet agent timeline <name>`: who did what (lib/ops/timeline.ts), from fleetd: the cards the
 * agent worked, the time it waited for a human, its starts and takeovers, in order.
 */
import { usage } from '../lib/errors.js';
import type { TimelineView } from '../lib/timeline/contract.js';
import { describeEntry, formatDuration, parseSpan } from '../lib/timeline/rules.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import { connectFleetd } from './connect.js';
import { printJson } from './context.js';
import { renderTable } from './table.js';

/** `24h`, `90m` (back from now) or an ISO time; null when not given. */
export function whenOption(name: string, v: string | undefined, nowMs: number): string | undefined {
  if (v === undefined) return undefined;
  const span = parseSpan(v);
  if (span !== null) return new Date(nowMs - span).toISOString();
  if (/^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v)))
    return new Date(Date.parse(v)).toISOString();
  throw usage(`--${name} takes a span back from now (30m, 24h, 7d) or an ISO time (got "${v}")`);
}

const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export function renderTimeline(v: TimelineView): string {
  const head = `${v.agent}@${v.agent_host} from ${time(v.since)} to ${time(v.until)}`;
  if (!v.entries.length) return `${head}: nothing happened`;
  const rows = v.entries.map((e) => [
    time(e.start),
    e.kind,
    describeEntry(e),
    'duration_s' in e ? `${formatDuration(e.duration_s)}${e.open ? '+' : ''}` : '-',
  ]);
  return [head, renderTable(['TIME', 'KIND', 'WHAT', 'DURATION'], rows)].join('\n');
}

export const registerAgentTimeline: Register = (program, ctx) => {
  agentCommand(program)
    .command('timeline')
    .description(
      'who did what: the cards an agent worked, its waits for a human, its restarts and takeovers',
    )
    .argument('<name>', 'the agent (<host>:<agent> for one on another host)')
    .option(
      '--since <when>',
      'from when: a span back from now (30m, 24h, 7d) or an ISO time',
      '24h',
    )
    .option('--until <when>', 'until when (default now)')
    .option('--json', 'print the timeline as JSON')
    .action(async (address: string, o: { since?: string; until?: string; json?: boolean }) => {
      const now = Date.now();
      const at = address.lastIndexOf(':');
      const name = at < 0 ? address : address.slice(at + 1);
      const host = at < 0 ? undefined : address.slice(0, at);
      const client = await connectFleetd(ctx);
      try {
        const v = await client.agents.timeline({
          name,
          ...(host ? { host } : {}),
          since: whenOption('since', o.since, now),
          until: whenOption('until', o.until, now),
        });
        if (o.json) printJson(ctx, v);
        else ctx.out(renderTimeline(v));
      } finally {
        client.close();
      }
    });
};
