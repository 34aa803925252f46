import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocketServer } from 'ws';
import { createUpgradeRouter, type UpgradeRouterDeps } from './upgrade.js';

function socket() {
  const s = new PassThrough();
  const written: string[] = [];
  s.on('data', (d: Buffer) => written.push(d.toString()));
  const destroy = vi.spyOn(s, 'destroy');
  return { s, written, destroy };
}

const req = (url: string, headers: Record<string, string> = {}) =>
  ({ url, headers }) as unknown as IncomingMessage;

function deps(over: Partial<UpgradeRouterDeps> = {}) {
  const handleUpgrade = vi.fn();
  const d: UpgradeRouterDeps = {
    wss: { handleUpgrade } as unknown as WebSocketServer,
    authenticate: vi.fn(async () => ({ id: 'u', email: 'op@example.com', name: 'op' })),
    allowedOrigins: new Set(['http://127.0.0.1:7420']),
    onTerminal: vi.fn(),
    log: () => undefined,
    ...over,
  };
  return { d, handleUpgrade };
}

describe('upgrade router', () => {
  it('authenticates before handing a terminal socket to ws', async () => {
    const { d, handleUpgrade } = deps({ authenticate: vi.fn(async () => null) });
    const { s, written, destroy } = socket();
    await createUpgradeRouter(d)(
      req('/ws/terminal/worker0?mode=watch', { origin: 'http://127.0.0.1:7420' }),
      s,
      Buffer.alloc(0),
    );
    expect(handleUpgrade).not.toHaveBeenCalled();
    expect(written.join('')).toMatch(/^HTTP\/1.1 401/);
    expect(destroy).toHaveBeenCalled();
  });

  it('upgrades an authenticated terminal socket with its mode', async () => {
    const { d, handleUpgrade } = deps();
    const { s } = socket();
    await createUpgradeRouter(d)(
      req('/ws/terminal/worker0?mode=takeover', { origin: 'http://127.0.0.1:7420' }),
      s,
      Buffer.alloc(0),
    );
    expect(handleUpgrade).toHaveBeenCalledOnce();
  });

  it('refuses a foreign origin and an unknown mode before checking the session', async () => {
    const { d, handleUpgrade } = deps();
    for (const [url, origin, status] of [
      ['/ws/terminal/worker0?mode=takeover', 'http://evil.example', 403],
      // same site, other port: a page an agent serves on this host
      ['/ws/terminal/worker0?mode=takeover', 'http://127.0.0.1:8099', 403],
      ['/ws/terminal/worker0?mode=watch', undefined, 403],
      ['/ws/terminal/worker0?mode=write', 'http://127.0.0.1:7420', 400],
    ] as const) {
      const { s, written } = socket();
      await createUpgradeRouter(d)(req(url, origin ? { origin } : {}), s, Buffer.alloc(0));
      expect(written.join('')).toMatch(new RegExp(`^HTTP/1.1 ${status}`));
    }
    expect(handleUpgrade).not.toHaveBeenCalled();
    expect(d.authenticate).not.toHaveBeenCalled();
  });

  it('destroys anything else, or hands it to Next in dev', async () => {
    const next = vi.fn();
    const { d, handleUpgrade } = deps();
    const a = socket();
    await createUpgradeRouter(d)(req('/_next/webpack-hmr'), a.s, Buffer.alloc(0));
    expect(a.destroy).toHaveBeenCalled();
    const b = socket();
    await createUpgradeRouter({ ...d, next })(req('/_next/webpack-hmr'), b.s, Buffer.alloc(0));
    expect(next).toHaveBeenCalledOnce();
    const c = socket();
    await createUpgradeRouter(d)(req('/ws/terminal/../../etc'), c.s, Buffer.alloc(0));
    expect(c.destroy).toHaveBeenCalled();
    expect(handleUpgrade).not.toHaveBeenCalled();
  });
});
