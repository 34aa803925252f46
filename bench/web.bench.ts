/**
 * The web panel's terminal bridge, measured end to end against the real server (fleetd + Next
 * + node-pty + ws) and Debian's Chromium, each beside a baseline from the same run:
 *  - pane output → visible in the browser, p50/p95 (baseline: the same output seen by polling
 *    `tmux capture-pane`);
 *  - browser keystroke → the pane's process, p50/p95 (baseline: `tmux send-keys`);
 *  - `seq 1 200000` with a browser watching, as a ratio to the same command in a bare pane;
 *  - page load → first terminal content.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LoginPage } from '../e2e/pages/login-page.js';
import { openBrowser } from '../e2e/support/browser.js';
import { ROOT, startPanel, waitFor, type Panel } from '../e2e/support/panel.js';
import { newPane } from './panes.js';
import { ms, percentile, ratio } from './stats.js';

const exec = promisify(execFile);
const ROUNDS = 40;

/** A program for the pane: prints what the bench sends over TCP; reports each key it reads. */
const PROBE = `
import net from 'node:net';
const sock = net.connect(Number(process.argv[2]), '127.0.0.1');
sock.on('data', (d) => process.stdout.write(d));
process.stdin.setRawMode(true);
process.stdin.on('data', (d) => sock.write(Date.now() + ' ' + d.length + '\\n'));
process.stdout.write('probe ready\\n');
`;

interface Probe {
  send(text: string): void;
  nextKey(): Promise<number>;
  close(): void;
}

async function probeServer(): Promise<{ port: number; connected: Promise<Probe> }> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const connected = new Promise<Probe>((resolve) => {
    server.once('connection', (sock) => {
      const waiting: ((t: number) => void)[] = [];
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString();
        for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          waiting.shift()?.(Number(line.split(' ')[0]));
        }
      });
      resolve({
        send: (text) => sock.write(text),
        nextKey: () => new Promise((r) => waiting.push(r)),
        close: () => {
          sock.destroy();
          server.close();
        },
      });
    });
  });
  return { port, connected };
}

function summary(label: string, samples: number[], baseline?: number[]): void {
  const line = `${label}: p50 ${ms(percentile(samples, 50))}, p95 ${ms(percentile(samples, 95))}`;
  const base = baseline
    ? ` (baseline p50 ${ms(percentile(baseline, 50))}, p95 ${ms(percentile(baseline, 95))}; ${ratio(percentile(samples, 50), percentile(baseline, 50))} at p50)`
    : '';
  console.log(line + base);
}

async function seqRun(panel: Panel, name: string, outFile: string): Promise<number> {
  rmSync(outFile, { force: true });
  await panel.tmux(['send-keys', '-t', `=${name}:`, 'Enter']);
  return waitFor(
    'seq to finish',
    () =>
      existsSync(outFile) && readFileSync(outFile, 'utf8').trim()
        ? Number(readFileSync(outFile, 'utf8')) / 1e6
        : null,
    120_000,
  );
}

export default async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    execFileSync('npx', ['next', 'build', '--webpack'], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    });
  }
  const panel = await startPanel({ up: false });
  const browser = await openBrowser();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'fleet-webbench-'));
  try {
    await new LoginPage(browser.page, panel.url).signIn(panel.email, panel.password);
    const page = browser.page;
    const probeFile = path.join(tmp, 'probe.mjs');
    writeFileSync(probeFile, PROBE);

    // --- pane output → browser, and its capture-pane baseline
    const out = await probeServer();
    await newPane(panel, 'probe', [process.execPath, probeFile, String(out.port)]);
    const probe = await out.connected;
    await page.goto(`${panel.url}/agents/probe`);
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="terminal"] .xterm-rows')
        ?.textContent?.includes('probe ready'),
    );
    const toBrowser: number[] = [];
    const toCapture: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const mark = `m${i}x${Math.random().toString(36).slice(2, 7)}`;
      // a string, not a function: tsx's __name helper does not exist in the page
      const seen = page.evaluate<number>(`new Promise((resolve) => {
        const rows = document.querySelector('[data-testid="terminal"] .xterm-rows');
        const obs = new MutationObserver(() => {
          if (rows.textContent.includes(${JSON.stringify(mark)})) { obs.disconnect(); resolve(Date.now()); }
        });
        obs.observe(rows, { childList: true, subtree: true, characterData: true });
      })`);
      await new Promise((r) => setTimeout(r, 20));
      const t0 = Date.now();
      probe.send(`${mark}\r\n`);
      toBrowser.push((await seen) - t0);

      const base = `b${i}x${Math.random().toString(36).slice(2, 7)}`;
      const t1 = performance.now();
      probe.send(`${base}\r\n`);
      for (;;) {
        const { stdout } = await exec('tmux', [
          '-L',
          panel.socket,
          'capture-pane',
          '-p',
          '-t',
          '=probe:',
        ]);
        if (stdout.includes(base)) break;
      }
      toCapture.push(performance.now() - t1);
    }
    summary('pane output → browser', toBrowser, toCapture);

    // --- browser keystroke → pane, and the tmux send-keys baseline
    await page.getByTestId('takeover').click();
    await page.getByTestId('confirm-ok').click();
    await page
      .locator('[data-testid="terminal"][data-mode="takeover"][data-state="live"]')
      .waitFor();
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? '').trim()
          .length > 0,
    );
    const keys: number[] = [];
    const sendKeys: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const got = probe.nextKey();
      const t0 = Date.now();
      await page.keyboard.press('a');
      keys.push((await got) - t0);
      const got2 = probe.nextKey();
      const t1 = Date.now();
      await exec('tmux', ['-L', panel.socket, 'send-keys', '-t', '=probe:', 'b']);
      sendKeys.push((await got2) - t1);
    }
    summary('browser keystroke → pane', keys, sendKeys);
    await page.getByTestId('release').click();
    probe.close();

    // --- seq 1 200000: bare pane vs a pane a browser watches
    const script = (file: string) =>
      `read x; t0=$(date +%s%N); seq 1 200000; t1=$(date +%s%N); echo $((t1-t0)) > ${file}; exec sleep 100000`;
    const bareFile = path.join(tmp, 'bare');
    const watchedFile = path.join(tmp, 'watched');
    const bare: number[] = [];
    const watched: number[] = [];
    for (let i = 0; i < 3; i++) {
      await newPane(panel, `bare${i}`, ['sh', '-c', script(bareFile)]);
      await newPane(panel, `watched${i}`, ['sh', '-c', script(watchedFile)]);
      bare.push(await seqRun(panel, `bare${i}`, bareFile));
      await page.goto(`${panel.url}/agents/watched${i}`);
      await page.locator('[data-testid="terminal"][data-state="live"]').waitFor();
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? '').trim()
            .length > 0,
      );
      watched.push(await seqRun(panel, `watched${i}`, watchedFile));
    }
    const b = percentile(bare, 50);
    const w = percentile(watched, 50);
    console.log(
      `seq 1 200000: bare pane ${ms(b)}, watched by a browser ${ms(w)} → ${ratio(w, b)} (median of 3)`,
    );

    // --- page load → first terminal content
    const firstPaint: number[] = [];
    const domReady: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = Date.now();
      await page.goto(`${panel.url}/agents/bare0`, { waitUntil: 'domcontentloaded' });
      domReady.push(Date.now() - t0);
      await page.waitForFunction(
        () =>
          (document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? '').trim()
            .length > 0,
      );
      firstPaint.push(Date.now() - t0);
    }
    summary('page load → first terminal content', firstPaint, domReady);
    console.log(
      '(baselines: capture-pane polling; tmux send-keys; DOMContentLoaded of the same page)',
    );
  } finally {
    await browser.close();
    await panel.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}
