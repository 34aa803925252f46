import { readHeartbeat, writeHeartbeat } from '../run/heartbeat.js';
import type { HeartbeatStatus } from '../heartbeat/protocol.js';
import type { FleetHome } from '../home.js';
import type { RuntimeAdapter } from '../runtimes/types.js';
import { classifyScreen } from '../screen.js';
import type { Tmux } from '../tmux/client.js';
import { pidAlive } from './pid.js';

/**
 * The heartbeat sidecar, for runtimes that cannot write heartbeat v1 themselves: while the
 * pane's process lives, it rewrites run/<name>.hb every interval with the status read off the
 * screen (busy/idle/waiting, or ok when the screen says nothing). It exits when the process
 * dies or a newer incarnation takes over, so it never speaks for a process it did not see.
 * fleetd can run the same tick in-process.
 */
export interface SidecarInput {
  home: FleetHome;
  tmux: Tmux;
  adapter: RuntimeAdapter;
  name: string;
  pid: number;
  epoch: number;
  now(): number;
}

async function sidecarTick(i: SidecarInput): Promise<'continue' | 'exit'> {
  if (!pidAlive(i.pid)) return 'exit';
  const hb = readHeartbeat(i.home, i.name);
  if (hb?.epoch !== null && hb?.epoch !== undefined && hb.epoch > i.epoch) return 'exit';
  let status: HeartbeatStatus = 'ok';
  try {
    const view = await i.tmux.view(i.name);
    if (view.dead || (view.pid !== null && view.pid !== i.pid)) return 'exit';
    status = classifyScreen(view.lines, i.adapter.screen) ?? 'ok';
  } catch {
    if (!(await i.tmux.hasSession(i.name))) return 'exit';
  }
  writeHeartbeat(i.home, i.name, {
    ts: i.now(),
    pid: i.pid,
    status,
    epoch: i.epoch,
    src: 'sidecar',
  });
  return 'continue';
}

export async function runSidecar(
  i: SidecarInput,
  intervalMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  while ((await sidecarTick(i)) === 'continue') await sleep(intervalMs);
}
