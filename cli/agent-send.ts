import os from 'node:os';
import { readFileSync } from 'node:fs';
import { usage } from '../lib/errors.js';
import { rosterAgents } from '../lib/ops/lifecycle.js';
import { sendVerified, type SendReceipt } from '../lib/send/deliver.js';
import { verdictExitCode } from '../lib/send/verdict.js';
import { agentCommand } from './agent-group.js';
import type { Register } from './commands.js';
import { printJson, type CliContext } from './context.js';
import { fleetDeps, numberOption } from './fleet-deps.js';

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
    .action(async (name: string, words: string[], o: SendOpts) => {
      const deps = fleetDeps(ctx);
      const [agent] = rosterAgents(deps, [name]);
      const r = await sendVerified(deps, {
        agent: agent!,
        text: messageText(words, o),
        source: o.label ? (o.source ?? `${os.hostname()}:operator`) : null,
        verify: Boolean(o.verify),
        timeoutMs: numberOption('verify-timeout', o.verifyTimeout, 10) * 1000,
        waitMs: numberOption('wait', o.wait, 30) * 1000,
        whenIdle: Boolean(o.whenIdle),
        queueOnDefer: true,
      });
      reportReceipt(ctx, r, Boolean(o.json));
    });
};
