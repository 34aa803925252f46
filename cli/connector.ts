/**
 * `fleet connector status|test`: the operator's chat as fleetd runs it (docs/connectors.md).
 * `test` sends a test message and prints the health; with fleetd down it builds the connector
 * from the roster and this shell's environment instead, and says so.
 */
import type { Command } from 'commander';
import type { ConnectorHealth } from '../lib/connectors/types.js';
import { FleetError } from '../lib/errors.js';
import { connectFleetd } from './connect.js';
import { printJson, type CliContext } from './context.js';

interface TestResult {
  health: ConnectorHealth;
  sent: { message_id: string | null } | null;
  error: string | null;
  where?: string;
}

const healthLine = (h: ConnectorHealth | null) =>
  !h
    ? 'health: unknown'
    : `health: ${h.ok ? 'ok' : 'FAILING'} (${h.kind}; reachable ${h.reachable ? 'yes' : 'no'}, authenticated ${h.authenticated ? 'yes' : 'no'}): ${h.detail}`;

async function localTest(ctx: CliContext): Promise<TestResult> {
  const { loadRoster } = await import('../lib/roster/load.js');
  const { createConnector } = await import('../lib/connectors/registry.js');
  const config = loadRoster(ctx.home.roster).roster.connector;
  if (!config || config.kind === 'none') {
    const detail = 'no connector in the roster (connector.kind is none or absent)';
    return {
      health: { kind: 'none', ok: false, reachable: false, authenticated: false, detail },
      sent: null,
      error: detail,
      where: 'this shell',
    };
  }
  let c;
  try {
    c = createConnector(config, ctx.env);
  } catch (e) {
    const detail = (e as Error).message;
    return {
      health: { kind: config.kind, ok: false, reachable: false, authenticated: false, detail },
      sent: null,
      error: detail,
      where: 'this shell',
    };
  }
  const health = await c!.health();
  try {
    const r = await c!.send({
      id: `test-${Date.now().toString(36)}`,
      text: 'connector test from the fleet CLI',
    });
    return { health, sent: { message_id: r.messageId }, error: null, where: 'this shell' };
  } catch (e) {
    return { health, sent: null, error: (e as Error).message, where: 'this shell' };
  }
}

export function registerConnector(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('connector')
    .description(
      "the operator's chat: where inbox notifications go, where the orchestrator is reached",
    );

  cmd
    .command('status')
    .description('the connector fleetd runs, its health and how many notifications wait')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      const client = await connectFleetd(ctx);
      try {
        const s = await client.request<{
          kind: string;
          target: string | null;
          health: ConnectorHealth | null;
          error: string | null;
          pending: number;
        }>('POST', '/v1/connector/status', {});
        if (o.json) return printJson(ctx, s);
        ctx.out(`connector: ${s.kind}${s.target ? ` → ${s.target}` : ''}`);
        if (s.error) ctx.out(`error: ${s.error}`);
        ctx.out(healthLine(s.health));
        ctx.out(`pending notifications: ${s.pending}`);
      } finally {
        client.close();
      }
    });

  cmd
    .command('test')
    .description('send a test message through the connector and print its health')
    .option('--json')
    .action(async (o: { json?: boolean }) => {
      let r: TestResult;
      const client = await connectFleetd(ctx);
      try {
        r = await client.request<TestResult>('POST', '/v1/connector/test', {});
        r.where = 'fleetd';
      } catch (e) {
        if (!(e instanceof FleetError && e.code === 'FLEETD_DOWN')) throw e;
        r = await localTest(ctx);
      } finally {
        client.close();
      }
      if (o.json) printJson(ctx, r);
      else {
        if (r.where !== 'fleetd')
          ctx.err('fleetd is not running: tested with the roster and this shell’s environment');
        ctx.out(healthLine(r.health));
        ctx.out(
          r.sent
            ? `test message sent${r.sent.message_id ? ` (id ${r.sent.message_id})` : ''}`
            : `test message NOT sent: ${r.error ?? 'unknown error'}`,
        );
      }
      if (!r.sent || !r.health.ok) process.exitCode = 1;
    });
}
