import { expect, type Locator, type Page } from '@playwright/test';

/** A 22-character base64url room id (128 random bits), as the app generates them. */
export const GENERATED_DOC_PATH = /\/d\/[A-Za-z0-9_-]{22}$/;

/** The home page: "New document" and this browser's recent documents. */
export class HomePage {
  readonly newDocument: Locator;
  readonly recentDocs: Locator;

  constructor(readonly page: Page) {
    this.newDocument = page.getByRole('button', { name: 'New document' });
    this.recentDocs = page.getByTestId('recent-docs').getByTestId('recent-doc');
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }

  /** Click "New document" and return the room id of the page it opened. */
  async createDocument(): Promise<string> {
    await this.newDocument.click();
    await expect(this.page).toHaveURL(GENERATED_DOC_PATH);
    const room = new URL(this.page.url()).pathname.split('/').pop();
    if (!room) throw new Error(`no room id in ${this.page.url()}`);
    return room;
  }
}
