import type { Page } from 'playwright-core';

/** The agent page: its terminal (watch by default), takeover, restart, terminate. */
export class AgentPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async goto(name: string): Promise<void> {
    await this.page.goto(`${this.base}/agents/${name}`);
    await this.waitLive('watch');
  }

  /** The socket is open and tmux has drawn the screen (so its client is attached). */
  async waitLive(mode: 'watch' | 'takeover'): Promise<void> {
    await this.page
      .locator(`[data-testid="terminal"][data-mode="${mode}"][data-state="live"]`)
      .waitFor();
    await this.page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent ?? '').trim()
          .length > 0,
    );
  }

  /** The text xterm shows (its DOM renderer's rows). */
  async screenText(): Promise<string> {
    return (await this.page.locator('[data-testid="terminal"] .xterm-rows').textContent()) ?? '';
  }

  async waitForText(text: string): Promise<void> {
    await this.page.waitForFunction(
      (t) =>
        document.querySelector('[data-testid="terminal"] .xterm-rows')?.textContent?.includes(t) ??
        false,
      text,
    );
  }

  /** Type the way an operator would: focus the terminal and press keys. */
  async type(text: string): Promise<void> {
    await this.page.locator('[data-testid="terminal"]').click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  async takeOver(): Promise<void> {
    await this.page.getByTestId('takeover').click();
    await this.page.getByTestId('confirm-ok').click();
    await this.waitLive('takeover');
  }

  async release(): Promise<void> {
    await this.page.getByTestId('release').click();
    await this.waitLive('watch');
  }

  async confirm(action: 'restart' | 'terminate'): Promise<void> {
    await this.page.getByTestId(action).click();
    await this.page.getByTestId('confirm-ok').click();
    // a restart waits for the agent's start lock and a fresh start: on a loaded 2-core CI
    // machine that took over the default 20 s once; the bound only keeps a broken run from hanging
    await this.page.getByTestId('agent-notice').waitFor({ timeout: 60_000 });
  }
}
