/**
 * A TCP proxy in front of the panel that can drop every connection, as a network that goes away
 * does, and refuse new ones until it is restored. Chromium's offline emulation stops new requests
 * but leaves a response already streaming open, so it cannot cut an event stream.
 */
import net from 'node:net';

export interface CuttableProxy {
  /** http://127.0.0.1:<port> of the proxy */
  url: string;
  /** drop every connection (a TCP reset, as a network that went away) and refuse new ones; says how many it dropped */
  cut(): number;
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableProxy(target: string): Promise<CuttableProxy> {
  const t = new URL(target);
  const sockets = new Set<net.Socket>();
  let down = false;
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => undefined); // the cut itself, seen from either side
  };
  const server = net.createServer((client) => {
    track(client);
    if (down) return void client.resetAndDestroy();
    const upstream = net.connect(Number(t.port), t.hostname);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const cut = () => {
    down = true;
    const n = sockets.size;
    // a reset, not an orderly close: nothing on the other side can take it for the end of a response
    for (const s of sockets) s.resetAndDestroy();
    return n;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    cut,
    restore: () => void (down = false),
    close: () =>
      new Promise((r) => {
        cut();
        server.close(() => r());
      }),
  };
}
