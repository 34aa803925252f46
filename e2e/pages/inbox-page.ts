import type { Page } from 'playwright-core';

/** The attention inbox: its items, their answers, and the navigation's count. */
export class InboxPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(`${this.base}/inbox`);
    await this.page.getByTestId('inbox').waitFor();
  }

  item(id: string) {
    return this.page.getByTestId(`inbox-item-${id}`);
  }

  /**
   * The open, unacknowledged item for this reason and agent, once the poll shows it; its id.
   * Waits as long as `timeoutMs`: the supervisor raises items on its own tick.
   */
  async waitForItem(reason: string, agent: string, timeoutMs = 30_000): Promise<string> {
    const row = this.page
      .locator(
        `[data-testid^="inbox-item-"][data-reason="${reason}"][data-agent="${agent}"][data-acked="false"]`,
      )
      .first();
    await row.waitFor({ timeout: timeoutMs });
    return (await row.getAttribute('data-id'))!;
  }

  async waitGone(id: string, timeoutMs = 30_000): Promise<void> {
    await this.item(id).waitFor({ state: 'detached', timeout: timeoutMs });
  }

  evidence(id: string) {
    return this.page.getByTestId(`evidence-${id}`);
  }

  async approve(id: string): Promise<void> {
    await this.page.getByTestId(`approve-${id}`).click();
  }

  async deny(id: string): Promise<void> {
    await this.page.getByTestId(`deny-${id}`).click();
  }

  async reply(id: string, text: string): Promise<void> {
    await this.page.getByTestId(`reply-${id}`).click();
    await this.page.getByTestId(`reply-text-${id}`).fill(text);
    await this.page.getByTestId(`reply-send-${id}`).click();
  }

  async ack(id: string): Promise<void> {
    await this.page.getByTestId(`ack-${id}`).click();
    await this.page.locator(`[data-testid="inbox-item-${id}"][data-acked="true"]`).waitFor();
  }

  /** What the last answer did: on its row while the row stays, above the list once it is gone. */
  outcome() {
    return this.page.locator(
      '[data-testid^="act-result-"], [data-testid^="act-error-"], [data-testid="inbox-notice"]',
    );
  }

  empty() {
    return this.page.getByTestId('inbox-empty');
  }

  /** The navigation's unacknowledged count once it is at least `n` (the badge is hidden at 0). */
  async waitNavCount(n: number): Promise<number> {
    const handle = await this.page.waitForFunction((min) => {
      const v = Number(
        document.querySelector('[data-testid="nav-inbox-count"]')?.getAttribute('data-count'),
      );
      return v >= min ? v : null;
    }, n);
    return (await handle.jsonValue())!;
  }
}
