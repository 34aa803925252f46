import type { Locator, Page } from 'playwright-core';

/** The agent page's Timeline section: the chart (SVG) and its list. */
export class AgentTimelineSection {
  constructor(private readonly page: Page) {}

  root(): Locator {
    return this.page.getByTestId('agent-timeline');
  }

  /** The card spans drawn in the chart (filled with the card colour, components/agent). */
  cardSpans(color: string): Locator {
    return this.page.locator(`[data-testid="timeline-chart"] svg path[fill="${color}"]`);
  }

  async entries(): Promise<string[]> {
    await this.root().locator('summary').click();
    return this.page.getByTestId('timeline-entry').allTextContents();
  }
}
