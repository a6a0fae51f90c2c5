import { expect, type Locator, type Page } from '@playwright/test';

/** The version history drawer of one user's document tab. */
export class HistoryPanel {
  readonly button: Locator;
  readonly panel: Locator;
  readonly versions: Locator;
  readonly nameInput: Locator;
  readonly saveButton: Locator;
  readonly restoreButton: Locator;
  readonly diff: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByTestId('history-button');
    this.panel = page.getByTestId('history-panel');
    this.versions = this.panel.getByTestId('version-item');
    this.nameInput = this.panel.getByTestId('version-name');
    this.saveButton = this.panel.getByTestId('save-version');
    this.restoreButton = this.panel.getByTestId('restore-version');
    this.diff = this.panel.getByTestId('version-diff');
  }

  async open(): Promise<void> {
    await this.button.click();
    await expect(this.panel).toHaveAttribute('data-state', 'ready');
  }

  async close(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.panel).toHaveCount(0);
  }

  /** Save a named version and wait until the timeline lists it. */
  async saveVersion(name: string): Promise<void> {
    await this.nameInput.fill(name);
    await this.saveButton.click();
    await expect(this.version(name)).toHaveCount(1);
  }

  version(name: string): Locator {
    return this.versions.filter({ hasText: name });
  }

  /** Select a version, wait for its diff, and restore it. */
  async restore(name: string): Promise<void> {
    await this.version(name).click();
    await expect(this.diff).toBeVisible();
    await this.restoreButton.click();
  }
}
