/**
 * The monitor wall's cost per watched agent, against the real panel (fleetd + Next + node-pty +
 * ws) and Debian's Chromium, at 5, 20 and 50 tiles (docs/architecture.md "The monitor wall's
 * cost"). Each tile is a plain pane running a probe that prints a line every second. For each
 * size, over a fixed window, three states of the same fleet in the same run:
 *  - no page open (the baseline), the fleet overview page open (the same 2 s snapshot poll,
 *    no terminals), and the wall open;
 *  - fleetd's CPU (its own, and the tmux commands it runs), its RSS, the bridge's PTY children
 *    (tmux clients: count, RSS, CPU), the tmux server's CPU, Chromium's CPU (all processes and
 *    its renderers), and the bytes the page's sockets received;
 *  - per watched agent: (wall − no page) / tiles.
 * And the output latency: a line printed in a pane → visible in its tile, p50/p95, beside the
 * same line seen by polling `tmux capture-pane`.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { LoginPage } from '../e2e/pages/login-page.js';
import { openBrowser, type Browser } from '../e2e/support/browser.js';
import { ROOT, startPanel, waitFor, type Panel } from '../e2e/support/panel.js';
import { ms, percentile } from './stats.js';
import { newPane } from './panes.js';

const exec = promisify(execFile);
/** `MONITOR_BENCH_SIZES=50 npx tsx bench/run.ts monitor` runs only the sizes given */
const SIZES = (process.env.MONITOR_BENCH_SIZES ?? '5,20,50').split(',').map(Number);
const WINDOW_MS = 10_000;
const SETTLE_MS = 3000;
const ROUNDS = 30;
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
const PAGE_KB = Number(execFileSync('getconf', ['PAGESIZE']).toString()) / 1024 || 4;

/**
 * The pane's program: prints `tick <n>` every second, and at once each line the bench writes to
 * its FIFO. bash's `read` takes the line as soon as it is written; no process is forked per line.
 */
const PROBE = `exec 3<>"$1"; n=0; echo "probe ready"
while :; do
  if read -r -t 1 -u 3 line; then printf '%s\\n' "$line"; else n=$((n+1)); echo "tick $n"; fi
done`;

// --- processes, read from /proc

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in clock ticks */
  cpu: number;
  /** cutime + cstime: children that exited and were reaped */
  childCpu: number;
  rssKb: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text
    .slice(close + 2)
    .split(' ')
    .map(Number);
  // after the comm: state ppid … utime(11) stime(12) cutime(13) cstime(14) … rss(21)
  return {
    pid,
    ppid: f[1]!,
    comm,
    cpu: f[11]! + f[12]!,
    childCpu: f[13]! + f[14]!,
    rssKb: f[21]! * PAGE_KB,
  };
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function allProcs(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = readStat(Number(d));
    if (s) out.push(s);
  }
  return out;
}

function descendants(procs: ProcStat[], root: number): ProcStat[] {
  const kids = new Map<number, ProcStat[]>();
  for (const p of procs) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  const out: ProcStat[] = [];
  const todo = [root];
  while (todo.length) {
    for (const k of kids.get(todo.pop()!) ?? []) {
      out.push(k);
      todo.push(k.pid);
    }
  }
  return out;
}

/** a terminal bridge's PTY child: a tmux client attached to a session */
const isClient = (p: ProcStat) =>
  p.comm.startsWith('tmux') && cmdline(p.pid).includes('attach-session');

interface Pids {
  fleetd: number;
  tmuxServer: number;
}

interface Sample {
  at: number;
  fleetd: ProcStat;
  /** fleetd's live children: the bridge's PTYs (tmux clients) */
  ptys: ProcStat[];
  tmuxServer: ProcStat | null;
  chromium: (ProcStat & { renderer: boolean })[];
  wsBytes: number;
}

function sample(pids: Pids, wsBytes: number): Sample {
  const procs = allProcs();
  const fleetd = procs.find((p) => p.pid === pids.fleetd);
  if (!fleetd) throw new Error('fleetd is gone');
  const chromium = descendants(procs, process.pid)
    .filter((p) => /chrom/i.test(p.comm))
    .map((p) => ({ ...p, renderer: cmdline(p.pid).includes('--type=renderer') }));
  return {
    at: performance.now(),
    fleetd,
    // the clients, not the short tmux commands fleetd runs meanwhile (list-panes, capture-pane)
    ptys: procs.filter((p) => p.ppid === pids.fleetd && isClient(p)),
    tmuxServer: procs.find((p) => p.pid === pids.tmuxServer) ?? null,
    chromium,
    wsBytes,
  };
}

/** CPU time used between two samples by a set of processes, counting each pid once. */
function cpuDelta(a: ProcStat[], b: ProcStat[]): number {
  const before = new Map(a.map((p) => [p.pid, p.cpu]));
  return b.reduce((sum, p) => sum + p.cpu - (before.get(p.pid) ?? 0), 0);
}

interface Cost {
  fleetdCpu: number;
  fleetdChildCpu: number;
  fleetdRssMb: number;
  ptys: number;
  ptyRssMb: number;
  ptyCpu: number;
  tmuxCpu: number;
  chromeCpu: number;
  rendererCpu: number;
  wsKBs: number;
}

function cost(a: Sample, b: Sample): Cost {
  const secs = (b.at - a.at) / 1000;
  const pct = (ticks: number) => (ticks / CLK_TCK / secs) * 100;
  const renderers = (s: Sample) => s.chromium.filter((p) => p.renderer);
  return {
    fleetdCpu: pct(b.fleetd.cpu - a.fleetd.cpu),
    fleetdChildCpu: pct(b.fleetd.childCpu - a.fleetd.childCpu),
    fleetdRssMb: b.fleetd.rssKb / 1024,
    ptys: b.ptys.length,
    ptyRssMb: b.ptys.reduce((s, p) => s + p.rssKb, 0) / 1024,
    ptyCpu: pct(cpuDelta(a.ptys, b.ptys)),
    tmuxCpu: pct((b.tmuxServer?.cpu ?? 0) - (a.tmuxServer?.cpu ?? 0)),
    chromeCpu: pct(cpuDelta(a.chromium, b.chromium)),
    rendererCpu: pct(cpuDelta(renderers(a), renderers(b))),
    wsKBs: (b.wsBytes - a.wsBytes) / 1024 / secs,
  };
}

// --- the fleet of probe panes

async function newProbe(panel: Panel, name: string, fifo: string): Promise<number> {
  execFileSync('mkfifo', [fifo]);
  await newPane(panel, name, ['bash', '-c', PROBE, 'probe', fifo]);
  await waitFor(`${name} ready`, async () => (await panel.capture(name)).includes('ready'), 20_000);
  // read-write: never blocks, and the probe holds the other end open
  return openSync(fifo, 'r+');
}

const tileRows = (name: string) => `[data-testid="monitor-tile-${name}"] .xterm-rows`;

/** Open the wall and wait until every tile is live and shows its pane (scrolled into view: xterm draws only visible terminals). */
async function openWall(page: Page, url: string, names: string[]): Promise<number> {
  const t0 = Date.now();
  await page.goto(`${url}/monitor`);
  await page.getByTestId('monitor-wall').waitFor();
  for (const n of names) {
    const tile = page.getByTestId(`monitor-tile-${n}`);
    await tile.scrollIntoViewIfNeeded();
    await tile
      .locator('[data-testid="terminal"][data-state="live"]')
      .waitFor({ state: 'attached', timeout: 180_000 })
      .catch(async (e: unknown) => {
        const states = await page.evaluate<string>(
          `[...document.querySelectorAll('[data-testid^="monitor-tile-"]')].map((t) => t.dataset.testid.slice(13) + '=' + (t.querySelector('[data-testid="terminal"]')?.dataset.state ?? t.textContent)).join(' ')`,
        );
        throw new Error(`tile ${n} not live: ${states}`, { cause: e });
      });
    await page.waitForFunction(
      (sel) => /tick|ready/.test(document.querySelector(sel)?.textContent ?? ''),
      tileRows(n),
      { timeout: 180_000 },
    );
  }
  const took = Date.now() - t0;
  await page.evaluate('window.scrollTo(0, 0)');
  return took;
}

async function connects(page: Page): Promise<number> {
  return page.evaluate<number>(
    `[...document.querySelectorAll('[data-testid="monitor-wall"] [data-testid="terminal"]')]
      .reduce((n, el) => n + Number(el.getAttribute('data-connects') || 0), 0)`,
  );
}

// --- output

const f1 = (n: number) => n.toFixed(1);
const f2 = (n: number) => n.toFixed(2);

function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const [i, r] of rows.entries()) {
    console.log(
      r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  '),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

const HEAD = [
  'tiles / page',
  'fleetd CPU%',
  'its tmux cmds CPU%',
  'fleetd RSS MB',
  'PTYs',
  'PTY RSS MB',
  'PTY CPU%',
  'tmux server CPU%',
  'Chromium CPU%',
  'renderer CPU%',
  'ws KB/s',
];

function costRow(label: string, c: Cost): string[] {
  return [
    label,
    f1(c.fleetdCpu),
    f1(c.fleetdChildCpu),
    f1(c.fleetdRssMb),
    String(c.ptys),
    f1(c.ptyRssMb),
    f1(c.ptyCpu),
    f1(c.tmuxCpu),
    f1(c.chromeCpu),
    f1(c.rendererCpu),
    f1(c.wsKBs),
  ];
}

function perTile(label: string, wall: Cost, none: Cost, n: number): string[] {
  const d = (k: keyof Cost) => (wall[k] - none[k]) / n;
  return [
    label,
    f2(d('fleetdCpu')),
    f2(d('fleetdChildCpu')),
    f2(d('fleetdRssMb')),
    f2(d('ptys')),
    f2(d('ptyRssMb')),
    f2(d('ptyCpu')),
    f2(d('tmuxCpu')),
    f2(d('chromeCpu')),
    f2(d('rendererCpu')),
    f2(d('wsKBs')),
  ];
}

// --- the run

interface SizeResult {
  n: number;
  none: Cost;
  overview: Cost;
  wall: Cost;
  toTile: number[];
  toCapture: number[];
  reconnects: number;
  /** page load → every tile live and showing its pane */
  wallUp: number;
}

export default async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID')))
    throw new Error('build the panel first: node scripts/build.mjs && npm run build:web');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fleet-monitorbench-'));
  const fds: number[] = [];
  let panel: Panel | undefined;
  let browser: Browser | undefined;
  const cleanup = async () => {
    for (const fd of fds.splice(0)) closeSync(fd);
    await browser?.close().catch(() => undefined);
    await panel?.stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // no roster agents: the wall's tiles are exactly the probe panes
    panel = await startPanel({ up: false, roster: { agents: [] } });
    browser = await openBrowser();
    const page = browser.page;
    await new LoginPage(page, panel.url).signIn(panel.email, panel.password);
    let wsBytes = 0;
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) => (wsBytes += Buffer.byteLength(f.payload))),
    );
    const fleetd = descendants(allProcs(), process.pid).find(
      (p) => p.comm === 'node' && / serve$/.test(cmdline(p.pid).trim()),
    );
    if (!fleetd) throw new Error('fleetd not found among this process’s children');
    const names: string[] = [];
    const fifos = new Map<string, number>();
    // the server is up once the first probe exists
    let pids: Pids | undefined;

    const measure = async (): Promise<Cost> => {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const a = sample(pids!, wsBytes);
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      return cost(a, sample(pids!, wsBytes));
    };
    const noPtys = () =>
      waitFor(
        'the bridge’s PTYs to go',
        () => allProcs().every((p) => !(p.ppid === fleetd.pid && isClient(p))),
        60_000,
      );

    const results: SizeResult[] = [];
    for (const n of SIZES) {
      while (names.length < n) {
        const name = `probe${String(names.length).padStart(2, '0')}`;
        const fd = await newProbe(panel, name, path.join(tmp, `${name}.fifo`));
        fds.push(fd);
        fifos.set(name, fd);
        names.push(name);
      }
      const server = await panel.tmux(['display-message', '-p', '#{pid}']);
      pids = { fleetd: fleetd.pid, tmuxServer: Number(server.stdout.trim()) };

      const step = (what: string) => console.log(`${n} tiles: ${what}`);
      step('no page open');
      await page.goto('about:blank');
      await noPtys();
      const none = await measure();

      step('fleet overview open');
      await page.goto(panel.url);
      await page.getByTestId('fleet-table').waitFor();
      const overview = await measure();

      step('monitor wall open');
      const wallUp = await openWall(page, panel.url, names);
      const wall = await measure();
      const reconnects = (await connects(page)) - n;

      // a line printed in a pane → visible in its tile; the same pane's capture-pane baseline
      step('output latency');
      const toTile: number[] = [];
      const toCapture: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const name = names[i % n]!;
        const fd = fifos.get(name)!;
        await page.getByTestId(`monitor-tile-${name}`).scrollIntoViewIfNeeded();
        await new Promise((r) => setTimeout(r, 50));
        const mark = `m${i}x${Math.random().toString(36).slice(2, 7)}`;
        // a string, not a function: tsx's __name helper does not exist in the page
        const seen = page.evaluate<number>(`new Promise((resolve) => {
          const rows = document.querySelector(${JSON.stringify(tileRows(name))});
          const obs = new MutationObserver(() => {
            if (rows.textContent.includes(${JSON.stringify(mark)})) { obs.disconnect(); resolve(Date.now()); }
          });
          obs.observe(rows, { childList: true, subtree: true, characterData: true });
        })`);
        await new Promise((r) => setTimeout(r, 20));
        const t0 = Date.now();
        writeSync(fd, `${mark}\n`);
        toTile.push((await seen) - t0);

        const base = `b${i}x${Math.random().toString(36).slice(2, 7)}`;
        const t1 = performance.now();
        writeSync(fd, `${base}\n`);
        for (;;) {
          const { stdout } = await exec('tmux', [
            '-L',
            panel.socket,
            'capture-pane',
            '-p',
            '-t',
            `=${name}:`,
          ]);
          if (stdout.includes(base)) break;
        }
        toCapture.push(performance.now() - t1);
      }
      results.push({ n, none, overview, wall, toTile, toCapture, reconnects, wallUp });
      // each size as it is done: a later size that fails leaves these figures
      table([HEAD, costRow('no page', none), costRow('overview', overview), costRow('wall', wall)]);
      await page.goto('about:blank');
      await noPtys();
    }

    console.log(
      `\nEach pane prints a line a second; CPU is % of one core over ${WINDOW_MS / 1000} s ` +
        `after ${SETTLE_MS / 1000} s to settle; RSS at the window's end.\n` +
        '"its tmux cmds" is the CPU of the short-lived tmux commands fleetd ran and reaped ' +
        '(snapshot: list-panes, one capture-pane per agent).\n',
    );
    const rows = [HEAD];
    for (const r of results) {
      rows.push(costRow(`${r.n} / no page (baseline)`, r.none));
      rows.push(costRow(`${r.n} / fleet overview`, r.overview));
      rows.push(costRow(`${r.n} / monitor wall`, r.wall));
    }
    for (const r of results) rows.push(perTile(`${r.n}: per watched agent`, r.wall, r.none, r.n));
    table(rows);

    console.log(
      '\nA line printed in a pane → visible in its tile (baseline: polling capture-pane)\n',
    );
    const lat = [
      [
        'tiles',
        'tile p50',
        'tile p95',
        'capture-pane p50',
        'capture-pane p95',
        'reconnects',
        'wall load → every tile live',
      ],
    ];
    for (const r of results) {
      lat.push([
        String(r.n),
        ms(percentile(r.toTile, 50)),
        ms(percentile(r.toTile, 95)),
        ms(percentile(r.toCapture, 50)),
        ms(percentile(r.toCapture, 95)),
        String(r.reconnects),
        ms(r.wallUp),
      ]);
    }
    table(lat);
  } catch (e) {
    console.error(`fleetd's log, last lines:\n${panel?.log().split('\n').slice(-30).join('\n')}`);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}
