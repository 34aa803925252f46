import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetError } from '../errors.js';
import { fleetHome } from '../home.js';
import { FleetdClient } from './fleetd.js';
import { FleetdError } from './transport.js';

describe('FleetdClient', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'fleet-client-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('says fleetd is down, and how to start it, when nothing listens', async () => {
    const client = new FleetdClient(fleetHome(root));
    const e = await client.backlog.stats().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FleetError);
    expect((e as FleetError).code).toBe('FLEETD_DOWN');
    expect((e as FleetError).message).toBe(
      `fleetd is not running for ${root} — start it with \`fleet serve\` (or the systemd unit: systemctl --user start mosaic-fleetd)`,
    );
    client.close();
  });

  it('turns an error body into the FleetError it names, keeping status and code', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'CONFLICT', message: 'fence moved' } }));
    });
    await new Promise<void>((r) => server.listen(path.join(root, 'sock'), r));
    const client = new FleetdClient({ root, socket: path.join(root, 'sock') });
    const e = (await client.backlog
      .complete({ id: 'a', owner: 'w', fence: 1 })
      .catch((x: unknown) => x)) as FleetdError;
    expect(e).toBeInstanceOf(FleetdError);
    expect([e.code, e.status, e.wireCode, e.message]).toEqual([
      'CONFLICT',
      409,
      'CONFLICT',
      'fence moved',
    ]);
    client.close();
    await new Promise((r) => server.close(r));
  });

  it('keeps an unknown wire code without inventing a domain code for it', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'boom' } }));
    });
    await new Promise<void>((r) => server.listen(path.join(root, 'sock'), r));
    const client = new FleetdClient({ root, socket: path.join(root, 'sock') });
    const e = (await client.health().catch((x: unknown) => x)) as FleetdError;
    expect([e.code, e.status, e.wireCode]).toEqual(['COMMAND_FAILED', 500, 'INTERNAL']);
    client.close();
    await new Promise((r) => server.close(r));
  });
});
