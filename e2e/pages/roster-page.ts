import type { Page } from 'playwright-core';

export class RosterPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(`${this.base}/roster`);
    await this.page.getByTestId('roster-add').waitFor();
  }

  field(agent: string, field: 'runtime' | 'model' | 'command' | 'channels' | 'yolo') {
    return this.page.getByTestId(`roster-${agent}-${field}`);
  }

  async apply(agent: string): Promise<void> {
    await this.page.getByTestId(`roster-${agent}-save`).click();
  }

  saved() {
    return this.page.getByTestId('roster-saved');
  }

  conflict() {
    return this.page.getByTestId('roster-conflict');
  }

  error() {
    return this.page.getByTestId('roster-error');
  }

  async remove(agent: string): Promise<void> {
    await this.page.getByTestId(`roster-${agent}-remove`).click();
    await this.page.getByTestId('confirm-ok').click();
  }
}
