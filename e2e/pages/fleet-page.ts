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

  banner() {
    return this.page.getByTestId('pause-banner');
  }

  async resume(): Promise<void> {
    await this.page.getByTestId('resume').click();
    await this.banner().waitFor({ state: 'detached' });
  }
}
