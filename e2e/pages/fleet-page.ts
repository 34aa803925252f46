import type { Page } from 'playwright-core';

export class FleetPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(`${this.base}/`);
    await this.page.getByTestId('fleet-table').waitFor();
  }

  async agentNames(): Promise<string[]> {
    const ids = await this.page
      .locator('[data-testid^="fleet-row-"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace('fleet-row-', ''));
  }

  row(name: string) {
    return this.page.getByTestId(`fleet-row-${name}`);
  }

  async pause(reason: string): Promise<void> {
    await this.page.getByTestId('pause-reason').fill(reason);
    await this.page.getByTestId('pause').click();
    await this.page.getByTestId('pause-banner').waitFor();
  }

  /** Drain: PAUSE while every agent finishes its turn; resolves once the banner is up. */
  async drain(): Promise<void> {
    await this.page.getByTestId('drain').click();
    await this.drainBanner().waitFor();
  }

  drainBanner() {
    return this.page.getByTestId('drain-banner');
  }

  banner() {
    return this.page.getByTestId('pause-banner');
  }

  /** The row of an agent of another host (components/fleet/other-hosts.tsx). */
  hostRow(host: string, agent: string) {
    return this.page.getByTestId(`host-row-${host}-${agent}`);
  }

  /** Its "Watch on <host>'s panel" link. */
  watchLink(host: string, agent: string) {
    return this.page.getByTestId(`host-watch-${host}-${agent}`);
  }

  /** What the last Restart or Terminate of it answered; `data-state` says done, kept or failed. */
  hostStatus(host: string, agent: string) {
    return this.page.getByTestId(`host-status-${host}-${agent}`);
  }

  /** Restart or terminate another host's agent from its row, and confirm. */
  async actOnHost(host: string, agent: string, kind: 'restart' | 'terminate'): Promise<void> {
    await this.page.getByTestId(`host-${kind}-${host}-${agent}`).click();
    await this.page.getByTestId('confirm-ok').click();
  }

  /** Wait until that answer is in, however long its host takes (the relay waits ~35 s). */
  async hostAnswer(
    host: string,
    agent: string,
    timeoutMs = 60_000,
  ): Promise<{ state: string; text: string }> {
    const status = this.hostStatus(host, agent);
    await this.page
      .locator(`[data-testid="host-status-${host}-${agent}"]:not([data-state="asking"])`)
      .waitFor({ timeout: timeoutMs });
    return {
      state: (await status.getAttribute('data-state')) ?? '',
      text: (await status.textContent()) ?? '',
    };
  }

  async resume(): Promise<void> {
    await this.page.getByTestId('resume').click();
    await this.banner().waitFor({ state: 'detached' });
  }
}
