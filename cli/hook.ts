import { readFileSync } from 'node:fs';
import { writeHookStatus } from '../lib/heartbeat/file.js';
import { claudeHookStatus, codexNotifyStatus, parsePayload } from '../lib/heartbeat/hooks.js';
import { isAgentName } from '../lib/names.js';
import type { Register } from './commands.js';
import type { CliContext } from './context.js';

/**
 * Called by runtimes, not people: Claude Code hooks (`fleet hook claude <Event>`, payload on
 * stdin) and codex notify (`fleet hook codex <json>`). They record the exact state in
 * run/<name>.status. A hook must never break the runtime: problems go to stderr, exit 0.
 */
function record(ctx: CliContext, status: ReturnType<typeof claudeHookStatus>, event: string): void {
  const name = ctx.env.MOSAIC_AGENT_NAME ?? '';
  if (!status) return;
  if (!isAgentName(name)) {
    ctx.err(`fleet hook: MOSAIC_AGENT_NAME is not set to an agent name; ignoring ${event}`);
    return;
  }
  const epoch = /^\d+$/.test(ctx.env.MOSAIC_AGENT_EPOCH ?? '')
    ? Number(ctx.env.MOSAIC_AGENT_EPOCH)
    : null;
  try {
    writeHookStatus(ctx.home, name, {
      ts: Date.now(),
      pid: null,
      status,
      epoch,
      src: 'hook',
      event,
    });
  } catch (e) {
    ctx.err(`fleet hook: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function readStdin(): string {
  if (process.stdin.isTTY) return '';
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

export const registerHook: Register = (program, ctx) => {
  const hook = program
    .command('hook')
    .description('state reports from runtimes (Claude Code hooks, codex notify)');
  hook
    .command('claude')
    .argument('<event>', 'SessionStart | UserPromptSubmit | Stop | Notification')
    .action((event: string) =>
      record(ctx, claudeHookStatus(event, parsePayload(readStdin())), event),
    );
  hook
    .command('codex')
    .argument('[payload]', 'the JSON codex passes to its notify program')
    .action((payload?: string) => {
      const p = parsePayload(payload ?? '');
      const type =
        typeof p === 'object' && p !== null ? String((p as { type?: unknown }).type ?? '') : '';
      record(ctx, codexNotifyStatus(p), type || 'notify');
    });
};
