/**
 * Browser settings for the end-to-end tests (e2e/) and the web benchmark. The tests run with
 * playwright-core and vitest (`npm run e2e`, config in e2e/vitest.config.ts) against Debian's
 * Chromium: never a downloaded browser. Playwright wants the profile directory as the first
 * argument of launchPersistentContext, not as --user-data-dir in `args` (PITFALLS "Web stack").
 */
export const browserConfig = {
  executablePath: process.env.FLEET_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  viewport: { width: 1400, height: 900 },
  timeoutMs: 20_000,
};

export default browserConfig;
