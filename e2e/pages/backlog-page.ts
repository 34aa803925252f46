import type { Page } from 'playwright-core';

export class BacklogPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async goto(): Promise<void> {
    await this.page.goto(`${this.base}/backlog`);
    await this.page.getByTestId('kanban').waitFor();
  }

  card(id: string) {
    return this.page.getByTestId(`card-${id}`);
  }

  column(status: 'ready' | 'claimed' | 'blocked' | 'done') {
    return this.page.getByTestId(`column-${status}`);
  }

  /** Native HTML5 drag and drop, as a mouse would do it. */
  async drag(id: string, to: 'ready' | 'claimed' | 'blocked' | 'done'): Promise<void> {
    await this.card(id).dragTo(this.column(to));
  }

  async waitInColumn(id: string, status: string): Promise<void> {
    await this.page
      .locator(`[data-testid="column-${status}"] [data-testid="card-${id}"]`)
      .waitFor();
  }

  error() {
    return this.page.getByTestId('board-error');
  }

  async create(title: string, id: string, dependsOn: string[] = []): Promise<void> {
    await this.page.getByTestId('create-card-title').fill(title);
    await this.page.getByTestId('create-card-id').fill(id);
    await this.page.getByTestId('create-card-deps').fill(dependsOn.join(', '));
    await this.page.getByTestId('create-card-submit').click();
    await this.card(id).waitFor();
  }
}
