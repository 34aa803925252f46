import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { writeHookStatus } from '../lib/run/heartbeat.js';
import { hookRecord } from '../lib/heartbeat/hooks.js';
import { recordReportedSession } from '../lib/run/session.js';
import { isAgentName } from '../lib/names.js';
import { runtimes, type RuntimeRegistry } from '../lib/runtimes/registry.js';
import type { HookReceiver, HookReport, RuntimeAdapter } from '../lib/runtimes/types.js';
import { runtimeHasSession } from '../lib/launch/session-file.js';
import os from 'node:os';
import type { Register } from './commands.js';
import type { CliContext } from './context.js';

/**
 * Called by runtimes, not people: `fleet hook <runtime> …` for every runtime whose adapter
 * reports natively (Claude Code hooks, codex notify; the wiring is in its adapter,
 * lib/runtimes/<id>.ts). They record the exact state in run/<name>.status, with what the
 * runtime said about it when it said something (`note=`). A hook must never break the runtime:
 * problems go to stderr, exit 0.
 */
/**
 * A reported conversation worth recording: one the runtime keeps a file for. Codex also
 * notifies for a side thread that titles the conversation and is never saved (docs/runtimes.md
 * "Resume"); the hook runs in the agent's own environment, so HOME and the variables that move
 * a runtime's files are the agent's.
 */
function keptByRuntime(ctx: CliContext, adapter: RuntimeAdapter, id: string): boolean {
  return runtimeHasSession(adapter, id, {
    home: ctx.env.HOME ?? os.homedir(),
    cwd: process.cwd(),
    env: Object.fromEntries(
      Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined),
    ),
  });
}

function record(ctx: CliContext, adapter: RuntimeAdapter, report: HookReport): void {
  const runtime = adapter.id;
  const name = ctx.env.MOSAIC_AGENT_NAME ?? '';
  if (!report.status && !report.sessionId) return;
  if (!isAgentName(name)) {
    ctx.err(`fleet hook: MOSAIC_AGENT_NAME is not set to an agent name; ignoring ${report.event}`);
    return;
  }
  const epoch = ctx.env.MOSAIC_AGENT_EPOCH;
  if (report.sessionId && keptByRuntime(ctx, adapter, report.sessionId)) {
    try {
      // the conversation the runtime is in, for the next restart (docs/runtimes.md "Resume")
      recordReportedSession(ctx.home, name, {
        runtime,
        id: report.sessionId,
        cwd: process.cwd(),
        epoch: Number(epoch) || 0,
        now: new Date(),
      });
    } catch (e) {
      ctx.err(`fleet hook: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!report.status) return;
  try {
    const rec = hookRecord(report.status, report.event, epoch, Date.now(), report.note);
    writeHookStatus(ctx.home, name, rec);
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

function read(
  ctx: CliContext,
  receiver: HookReceiver,
  arg: string | undefined,
  stdinText: () => string,
): HookReport {
  const stdin = receiver.payloadOnStdin ? stdinText() : '';
  try {
    return receiver.read(arg, stdin);
  } catch (e) {
    ctx.err(`fleet hook: ${e instanceof Error ? e.message : String(e)}`);
    return { status: null, event: arg ?? '' };
  }
}

/**
 * One `hook <id>` subcommand per registered runtime with native reports. `stdinText` reads the
 * payload of a runtime that writes it on stdin (tests hand one in).
 */
export function registerHookCommands(
  program: Command,
  ctx: CliContext,
  registry: RuntimeRegistry,
  stdinText: () => string = readStdin,
): void {
  const reporting = registry.list().filter((a) => a.native);
  const hook = program
    .command('hook')
    .description(`state reports from runtimes (${reporting.map((a) => a.title).join(', ')})`);
  for (const adapter of reporting) {
    const receiver = adapter.native!.hook;
    hook
      .command(adapter.id)
      .argument(receiver.argument, receiver.help)
      .action((arg?: string) => record(ctx, adapter, read(ctx, receiver, arg, stdinText)));
  }
}

export const registerHook: Register = (program, ctx) =>
  registerHookCommands(program, ctx, runtimes);
