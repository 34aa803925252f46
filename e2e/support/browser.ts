import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { browserConfig } from '@/playwright.config.js';
import { LoginPage } from '../pages/login-page.js';

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Debian's Chromium with a throwaway profile (never a downloaded browser). */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'fleet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: browserConfig.executablePath,
    headless: browserConfig.headless,
    args: browserConfig.args,
    viewport: browserConfig.viewport,
  });
  context.setDefaultTimeout(browserConfig.timeoutMs);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The session cookie header of a signed-in context, for raw HTTP and WebSocket requests. */
export async function cookieHeader(context: BrowserContext, url: string): Promise<string> {
  return (await context.cookies(url)).map((c) => `${c.name}=${c.value}`).join('; ');
}

/** A browser signed in to the panel as its operator, and the session's cookie header. */
export async function openSignedIn(
  panel: { url: string; email: string; password: string },
  next = '/',
): Promise<{ browser: Browser; cookie: string }> {
  const browser = await openBrowser();
  await new LoginPage(browser.page, panel.url).signIn(panel.email, panel.password, next);
  return { browser, cookie: await cookieHeader(browser.context, panel.url) };
}
