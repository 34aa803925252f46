import type { Page } from 'playwright-core';

export class LoginPage {
  constructor(
    private readonly page: Page,
    private readonly base: string,
  ) {}

  async signIn(email: string, password: string, next = '/'): Promise<void> {
    await this.page.goto(`${this.base}/login?next=${encodeURIComponent(next)}`);
    await this.page.getByTestId('login-email').fill(email);
    await this.page.getByTestId('login-password').fill(password);
    await this.page.getByTestId('login-submit').click();
    await this.page.waitForURL((u) => u.pathname === next);
  }

  error() {
    return this.page.getByTestId('login-error');
  }
}
