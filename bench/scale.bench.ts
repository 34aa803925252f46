// The fleet at 50, 100 and 200 stub agents (plus the floor) on one tmux socket, with fleetd as
// its own process (`fleet serve`): fleetd's idle CPU and RSS, `fleet ps --json` and one
// supervisor tick, each beside a baseline from the same run, and the growth of each from the
// smallest size to the largest. Writes docs/scale.json and docs/scale.svg (docs/scale.md).
// Passes/fails on nothing. `npx tsx bench/run.ts scale`; SCALE_SIZES=20,40 for a quick run.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FleetdClient } from '../lib/client/fleetd.js';
import { fleetHome } from '../lib/home.js';
import type { FleetPs } from '../lib/ops/snapshot.js';
import { PANE_FORMAT } from '../lib/tmux/panes.js';
import { FLEET_BIN, ROOT, runFleetCli, waitForHealth, type Proc } from '../test/support/procs.js';
import { testFleet, until, type TestFleet } from '../test/support/tmux-fleet.js';
import { renderSvg } from './chart.js';
import { freshStore, percentile, ratio } from './stats.js';

const run = promisify(execFile);
const SIZES = (process.env.SCALE_SIZES ?? '50,100,200').split(',').map(Number);
const IDLE_WINDOW_MS = 20_000;
const RUNS = 7;
/** the default heartbeat interval: what a fleet runs with unless its roster says otherwise */
const INTERVAL_S = 15;
const CLK_TCK = 100;
const WAIT_ALL_MS = Number(process.env.SCALE_WAIT_MIN ?? 15) * 60_000;

export interface SizeFigures {
  /** roster agents: the workers and the floor (orchestrator, enhancer) */
  agents: number;
  /** how many were up and idle when the figures were taken */
  available: number;
  /** fleetd's CPU over the idle window, % of one core */
  fleetd_cpu_pct: number;
  /** the tmux server's CPU over the same window (the agents idling), % of one core */
  tmux_cpu_pct: number;
  fleetd_rss_mb: number;
  /** an idle `node` process's RSS, for scale */
  node_rss_mb: number;
  ps_ms: number;
  /** `node -e 0` plus one `tmux list-panes -a` at this size */
  ps_baseline_ms: number;
  tick_ms: number;
  /** one bare `tmux list-panes -a` at this size */
  tick_baseline_ms: number;
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const median = (xs: number[]) => percentile(xs, 50);

async function timed(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

async function stopProc(p: Proc | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  p.child.kill('SIGTERM');
  const killed = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
  await p.exited;
  clearTimeout(killed);
}

/** What a size started and must stop, also when the bench is interrupted. */
const open = new Set<() => Promise<void>>();
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    interrupted = true;
    console.log(`${sig}: stopping fleetd and the tmux server`);
    void Promise.allSettled([...open].map((f) => f())).then(() => process.exit(130));
  });

async function measureSize(n: number, log: (l: string) => void): Promise<SizeFigures> {
  const agents = [
    { name: 'orch', class: 'orchestrator' },
    { name: 'enh', class: 'enhancer' },
    ...Array.from({ length: n }, (_, i) => ({ name: `w${i}`, class: 'worker' })),
  ];
  let fleet: TestFleet | undefined;
  let fleetd: Proc | undefined;
  let idleNode: Proc | undefined;
  let client: FleetdClient | undefined;
  const cleanup = async () => {
    client?.close();
    await stopProc(idleNode);
    await stopProc(fleetd);
    fleet?.cleanup();
  };
  open.add(cleanup);
  try {
    fleet = testFleet(agents, { interval: INTERVAL_S });
    const home = fleetHome(fleet.home);
    await freshStore(home.dbDir);
    const env = { FLEET_HOME: fleet.home, TMUX_TMPDIR: fleet.tmpdir, FLEET_CLI_PATH: FLEET_BIN };
    const t0 = performance.now();
    fleetd = runFleetCli(['serve', '--no-web'], env);
    await waitForHealth(home, fleetd);
    client = new FleetdClient(home, { timeoutMs: 120_000 });
    // the supervisor starts every agent, staggered; all of them should be up and idle. On a
    // loaded machine some may not be within the bound: the figures are taken anyway, and say so
    let available = 0;
    let counts = '';
    try {
      await until(
        async () => {
          const ps = await fleet!.json<FleetPs>(['ps']);
          const by = new Map<string, number>();
          for (const r of ps.agents) by.set(r.readiness, (by.get(r.readiness) ?? 0) + 1);
          available = by.get('available') ?? 0;
          counts = [...by].map(([k, v]) => `${v} ${k}`).join(', ');
          return available === agents.length;
        },
        `${agents.length} agents available`,
        WAIT_ALL_MS,
      );
    } catch {
      log(`  not all available after ${WAIT_ALL_MS / 60_000} min (${counts}): measuring anyway`);
    }
    log(
      `  ${available}/${agents.length} agents available after ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    await new Promise((r) => setTimeout(r, 5_000)); // let the last starts' work settle

    const pid = fleetd.child.pid!;
    const server = Number(fleet.tmux(['display-message', '-p', '#{pid}']).trim());
    idleNode = runFleetCliIdleNode();
    const c0 = cpuSeconds(pid);
    const s0 = cpuSeconds(server);
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
    const wall = (performance.now() - w0) / 1000;
    const fleetdCpu = ((cpuSeconds(pid) - c0) / wall) * 100;
    const tmuxCpu = ((cpuSeconds(server) - s0) / wall) * 100;
    const fleetdRss = rssMb(pid);
    const nodeRss = rssMb(idleNode.child.pid!);

    const tmuxEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMUX_TMPDIR: fleet.tmpdir };
    const listPanes = () =>
      run('tmux', ['-L', fleet!.socket, 'list-panes', '-a', '-F', PANE_FORMAT], { env: tmuxEnv });
    const nodeZero = () => run(process.execPath, ['-e', '0']);
    const ps = await timed(() =>
      run(process.execPath, [FLEET_BIN, 'ps', '--json'], {
        env: { ...process.env, FLEET_HOME: fleet!.home, TMUX_TMPDIR: fleet!.tmpdir },
        maxBuffer: 64 << 20,
      }),
    );
    const psBase = (await timed(nodeZero)) + (await timed(listPanes));
    const tick = await timed(() => client!.request('POST', '/v1/supervisor/tick', {}));
    const tickBase = await timed(listPanes);
    return {
      agents: agents.length,
      available,
      fleetd_cpu_pct: fleetdCpu,
      tmux_cpu_pct: tmuxCpu,
      fleetd_rss_mb: fleetdRss,
      node_rss_mb: nodeRss,
      ps_ms: ps,
      ps_baseline_ms: psBase,
      tick_ms: tick,
      tick_baseline_ms: tickBase,
    };
  } finally {
    open.delete(cleanup);
    await cleanup();
  }
}

/** An idle node process (a timer, nothing else): the RSS any Node process starts from. */
function runFleetCliIdleNode(): Proc {
  const child = execFile(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
  const exited = new Promise<number | null>((r) => child.once('close', (c) => r(c)));
  return { child, stdout: [], stderr: '', exited };
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

function report(rows: SizeFigures[]): string[] {
  const out = [
    'agents  fleetd CPU (tmux server)   fleetd RSS (idle node)   ps --json (node -e 0 + list-panes)   tick (bare list-panes)',
  ];
  for (const r of rows)
    out.push(
      `${`${r.available}/${r.agents}`.padStart(7)}  ${f2(r.fleetd_cpu_pct).padStart(6)} % (${f2(r.tmux_cpu_pct)} %)` +
        `       ${f1(r.fleetd_rss_mb).padStart(6)} MB (${f1(r.node_rss_mb)} MB)` +
        `       ${f1(r.ps_ms).padStart(7)} ms (${f1(r.ps_baseline_ms)} ms, ${ratio(r.ps_ms, r.ps_baseline_ms)})` +
        `           ${f1(r.tick_ms).padStart(7)} ms (${f1(r.tick_baseline_ms)} ms, ${ratio(r.tick_ms, r.tick_baseline_ms)})`,
    );
  const a = rows[0]!;
  const b = rows[rows.length - 1]!;
  if (rows.length > 1) {
    const g = (k: keyof SizeFigures) => ratio(b[k], a[k]);
    out.push(
      `growth ${a.agents} → ${b.agents} agents (${ratio(b.agents, a.agents)}): ` +
        `fleetd CPU ${g('fleetd_cpu_pct')} (tmux server ${g('tmux_cpu_pct')}), RSS ${g('fleetd_rss_mb')}, ` +
        `ps ${g('ps_ms')} (baseline ${g('ps_baseline_ms')}), tick ${g('tick_ms')} (baseline ${g('tick_baseline_ms')})`,
    );
  }
  return out;
}

export function scaleChart(rows: readonly SizeFigures[]): string {
  const x = rows.map((r) => String(r.agents));
  const line = (name: string, data: number[], yAxisIndex: number, dashed = false) => ({
    name,
    type: 'line' as const,
    yAxisIndex,
    data: data.map((v) => Number(v.toFixed(2))),
    symbolSize: 7,
    label: { show: true, fontSize: 10 },
    lineStyle: dashed ? { type: 'dashed' as const } : undefined,
  });
  return renderSvg(
    {
      title: {
        text: 'fleetd at scale (stub agents, one tmux socket)',
        subtext: 'dashed: baseline measured in the same run',
        left: 'center',
      },
      legend: { top: 72 },
      grid: [
        { left: 60, right: '55%', top: 135, bottom: 50 },
        { left: '55%', right: 40, top: 135, bottom: 50 },
      ],
      xAxis: [
        {
          type: 'category',
          data: x,
          name: 'agents',
          nameLocation: 'middle',
          nameGap: 28,
          gridIndex: 0,
        },
        {
          type: 'category',
          data: x,
          name: 'agents',
          nameLocation: 'middle',
          nameGap: 28,
          gridIndex: 1,
        },
      ],
      yAxis: [
        { type: 'value', name: 'ms (median)', gridIndex: 0 },
        { type: 'value', name: '% of one core', gridIndex: 1 },
      ],
      series: [
        {
          ...line(
            'fleet ps --json',
            rows.map((r) => r.ps_ms),
            0,
          ),
          xAxisIndex: 0,
        },
        {
          ...line(
            'node -e 0 + list-panes',
            rows.map((r) => r.ps_baseline_ms),
            0,
            true,
          ),
          xAxisIndex: 0,
        },
        {
          ...line(
            'supervisor tick',
            rows.map((r) => r.tick_ms),
            0,
          ),
          xAxisIndex: 0,
        },
        {
          ...line(
            'bare list-panes',
            rows.map((r) => r.tick_baseline_ms),
            0,
            true,
          ),
          xAxisIndex: 0,
        },
        {
          ...line(
            'fleetd idle CPU',
            rows.map((r) => r.fleetd_cpu_pct),
            1,
          ),
          xAxisIndex: 1,
        },
        {
          ...line(
            'tmux server CPU',
            rows.map((r) => r.tmux_cpu_pct),
            1,
            true,
          ),
          xAxisIndex: 1,
        },
      ],
    },
    { width: 960, height: 480 },
  );
}

export default async function (): Promise<void> {
  const rows: SizeFigures[] = [];
  for (const n of SIZES) {
    if (interrupted) return;
    console.log(`${n} workers + the floor …`);
    rows.push(await measureSize(n, console.log));
    console.log(report(rows.slice(-1))[1]);
    write(rows); // each size as it is measured: a later failure keeps the earlier figures
  }
  for (const l of report(rows)) console.log(l);
  console.log('wrote docs/scale.json and docs/scale.svg');
}

function write(rows: SizeFigures[]): void {
  const load = os.loadavg().map((x) => x.toFixed(1));
  const out = {
    measured_at: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load ${load.join(' ')} at the end (other work running)`,
    heartbeat_interval_s: INTERVAL_S,
    idle_window_s: IDLE_WINDOW_MS / 1000,
    runs_per_median: RUNS,
    sizes: rows,
    summary: report(rows),
  };
  writeFileSync(path.join(ROOT, 'docs', 'scale.json'), JSON.stringify(out, null, 2) + '\n');
  writeFileSync(path.join(ROOT, 'docs', 'scale.svg'), scaleChart(rows) + '\n');
}
