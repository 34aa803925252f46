import { readFileSync } from 'node:fs';
import { usage } from '../lib/errors.js';
import { rosterAgents } from '../lib/ops/lifecycle.js';
import { sendVerified, type SendReceipt } from '../lib/send/deliver.js';
import { verdictExitCode } from '../lib/send/verdict.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import { printJson, type CliContext } from './context.js';
import { fleetDeps, numberOption } from './fleet-deps.js';
import { raiseRelayed, type RelayOutcome } from '../lib/ops/relay.js';
import { commandId, localName, viaFleetd } from './relay.js';

export function reportReceipt(ctx: CliContext, r: SendReceipt, json: boolean): void {
  if (json) printJson(ctx, r);
  else
    (r.verdict === 'submitted' || r.verdict === 'queued' || r.verdict === 'sent'
      ? ctx.out
      : ctx.err)(`${r.agent}: ${r.verdict} — ${r.detail}`);
  process.exitCode = verdictExitCode(r.verdict);
}

interface SendOpts {
  verify?: boolean;
  verifyTimeout?: string;
  whenIdle?: boolean;
  wait?: string;
  source?: string;
  label: boolean;
  file?: string;
  json?: boolean;
  id?: string;
}

function messageText(words: string[], o: SendOpts): string {
  if (o.file) return readFileSync(o.file === '-' ? 0 : o.file, 'utf8');
  if (!words.length) throw usage('nothing to send: give the text, or --file <path> (- for stdin)');
  return words.join(' ');
}

export const registerAgentSend: Register = (program, ctx) => {
  agentCommand(program)
    .command('send')
    .description(
      'type a message into an agent literally, Enter separately; --verify returns a typed verdict',
    )
    .argument('<name>')
    .argument('[text...]', 'the message (put -- before text that starts with -)')
    .option('--file <path>', 'read the message from a file (- for stdin)')
    .option(
      '--verify',
      'wait for evidence the agent took it: submitted | queued | typed_not_submitted | refused_draft | no_evidence | send_failed',
    )
    .option('--verify-timeout <s>', 'how long typing and verifying may take', '10')
    .option('--when-idle', "deliver at the agent's next idle point")
    .option(
      '--wait <s>',
      'how long to wait for a takeover to end or for idle before queueing',
      '30',
    )
    .option('--source <label>', 'who is speaking (default <host>:operator)')
    .option('--no-label', 'send the text without the [from <source>] label')
    .option('--json', 'print the receipt as JSON')
    .option(
      '--id <key>',
      "another host's agent: an idempotency key, so running the command again is the same message",
    )
    .action(async (name: string, words: string[], o: SendOpts) => {
      const deps = fleetDeps(ctx);
      const text = messageText(words, o);
      const source = o.label ? (o.source ?? `${deps.host}:operator`) : null;
      const timeoutMs = numberOption('verify-timeout', o.verifyTimeout, 10) * 1000;
      const waitMs = numberOption('wait', o.wait, 30) * 1000;
      const local = localName(deps, name);
      if (local === null) {
        // another host's agent: its fleetd sends it the same way and answers (docs/architecture.md "The relay")
        const out = await viaFleetd(deps, ctx, name, (c) =>
          c.relay.send({
            address: name,
            id: commandId(o.id),
            text,
            source,
            verify: Boolean(o.verify),
            timeout_ms: timeoutMs,
            wait_ms: waitMs,
            when_idle: Boolean(o.whenIdle),
          }),
        );
        return reportReceipt(ctx, relayedReceipt(out, text, source), Boolean(o.json));
      }
      const [agent] = rosterAgents(deps, [local]);
      const r = await sendVerified(deps, {
        agent: agent!,
        text,
        source,
        verify: Boolean(o.verify),
        timeoutMs,
        waitMs,
        whenIdle: Boolean(o.whenIdle),
        queueOnDefer: true,
      });
      reportReceipt(ctx, r, Boolean(o.json));
    });
};

/** The owning host's receipt, or `queued` with the command's id while it is kept for that host. */
function relayedReceipt(
  o: RelayOutcome & { tenant_id: string },
  text: string,
  source: string | null,
): SendReceipt {
  raiseRelayed(o);
  // the owning host's fleetd answered with sendVerified's own receipt
  if (o.state === 'done' && o.result) return o.result as unknown as SendReceipt;
  return {
    agent: o.agent,
    tenant_id: o.tenant_id,
    host: o.host,
    verdict: 'queued',
    detail: o.detail ?? `kept in the store for ${o.host}`,
    source,
    chars: text.length,
    epoch: null,
    queued_id: o.id,
    elapsed_ms: 0,
  };
}
