import type { Page } from 'playwright-core';

/** A repo card's view on the board (`/backlog?card=<id>`): its Review section and its diff. */
export class CardReview {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  /** Open the board with the card's view open, as a link from the inbox or a chat would. */
  async goto(id: string): Promise<void> {
    await this.page.goto(`${this.base}/backlog?card=${encodeURIComponent(id)}`);
    await this.section().waitFor();
  }

  /** Open the card's view from its tile on the board. */
  async open(id: string): Promise<void> {
    await this.page.getByTestId(`card-${id}`).click();
    await this.section().waitFor();
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.getByTestId('card-editor').waitFor({ state: 'hidden' });
  }

  section() {
    return this.page.getByTestId('review-section');
  }

  field(name: 'branch' | 'author' | 'state' | 'round' | 'approved-by') {
    return this.page.getByTestId(`review-${name}`);
  }

  comments() {
    return this.page.getByTestId('review-comments');
  }

  returned() {
    return this.page.getByTestId('review-returned');
  }

  merge() {
    return this.page.getByTestId('review-merge');
  }

  totals() {
    return this.page.getByTestId('review-totals');
  }

  file(path: string) {
    return this.page.getByTestId(`review-file-${path}`);
  }

  /** The text of a file's diff rows of one kind (`add`, `del`, `context`, `hunk`). */
  async rows(path: string, kind: string): Promise<string[]> {
    const diff = this.page.getByTestId(`diff-${path}`);
    await diff.waitFor();
    return diff.locator(`tr[data-kind="${kind}"] td:last-child`).allTextContents();
  }

  async requestChanges(comment: string): Promise<void> {
    await this.page.getByTestId('review-request-changes').click();
    await this.page.getByTestId('review-comment').fill(comment);
    await this.page.getByTestId('review-send-back').click();
  }

  async approve(): Promise<void> {
    await this.page.getByTestId('review-approve').click();
  }

  error() {
    return this.page.getByTestId('review-error');
  }
}
