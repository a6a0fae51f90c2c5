import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';
import type { DocPage } from './doc-page';

export type ViewModeName = 'Edit' | 'Split' | 'View';

/** How long a render may take to reach the frame on a busy 2-core machine. */
export const RENDER_TIMEOUT = 15_000;

/**
 * The preview of one user's document page: the mode switch in the header, the outline and the
 * sandboxed frame (reached through Playwright's frame locator, as the page itself cannot).
 */
export class PreviewPane {
  readonly page: Page;
  readonly pane: Locator;
  readonly frameElement: Locator;
  readonly frame: FrameLocator;
  /** The rendered document inside the frame. */
  readonly root: Locator;
  readonly outline: Locator;
  readonly scrollSync: Locator;

  constructor(readonly user: DocPage) {
    this.page = user.page;
    this.pane = this.page.getByTestId('preview-pane');
    this.frameElement = this.page.getByTestId('preview-frame');
    this.frame = this.page.frameLocator('[data-testid="preview-frame"]');
    this.root = this.frame.locator('#preview-root');
    this.outline = this.page.getByRole('navigation', { name: 'Outline' });
    this.scrollSync = this.page.getByRole('checkbox', { name: 'Scroll sync' });
  }

  modeRadio(mode: ViewModeName): Locator {
    return this.page.getByTestId('mode-switch').getByRole('radio', { name: mode, exact: true });
  }

  async setMode(mode: ViewModeName): Promise<void> {
    await this.modeRadio(mode).check();
  }

  /** The task checkbox of 0-based source `line`, inside the frame. */
  taskCheckbox(line: number): Locator {
    return this.root.locator(`input.task-list-item-checkbox[data-task-line="${line}"]`);
  }

  /** Wait until the rendered document contains `text`. */
  async waitForRendered(text: string, timeout = RENDER_TIMEOUT): Promise<void> {
    await expect(this.root).toContainText(text, { timeout });
  }

  /** The last change-to-frame render latency the page measured, in ms. */
  async lastRenderMs(): Promise<number> {
    return Number(await this.frameElement.getAttribute('data-render-ms'));
  }
}
