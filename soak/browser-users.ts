/**
 * Real Chromium users in the soak: each its own browser context (own IndexedDB, own tag on the
 * balancer), on `/d/<room>` of the production app, typing into CodeMirror with the keyboard at
 * a human pace with the same rhythm as the simulated typists. Uncaught page errors are kept for
 * the verdict.
 */
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../e2e/support/chromium';
import { LINK_TAG_HEADER } from '../e2e/support/network-link';
import { chooseKeystroke, seededRng, TypingRhythm } from './typing-model';

/** Tags the balancer knows the browsers' connections by. */
export const browserTags = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `soak-browser-${i}`);

interface User {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  typing: Promise<void> | null;
  keys: number;
}

export class BrowserUsers {
  readonly errors: string[] = [];
  #typing = false;

  private constructor(
    private readonly browser: Browser,
    private readonly users: User[],
  ) {}

  static async start(appUrl: string, room: string, count: number): Promise<BrowserUsers> {
    const browser = await chromium.launch({
      executablePath: CHROMIUM_EXECUTABLE,
      args: [...CHROMIUM_ARGS],
      // Playwright would answer Ctrl-C by closing the browser and exiting the process at once;
      // the soak's own cleanup closes it, after everything else it started.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const users: User[] = [];
    const session = new BrowserUsers(browser, users);
    try {
      for (const tag of browserTags(count)) {
        const context = await browser.newContext({
          baseURL: appUrl,
          extraHTTPHeaders: { [LINK_TAG_HEADER]: tag },
        });
        const page = await context.newPage();
        page.on('pageerror', (error) => session.errors.push(`${tag}: ${error.stack ?? error}`));
        page.on('crash', () => session.errors.push(`${tag}: the page crashed`));
        await page.goto(`/d/${room}`);
        await page.locator('.cm-content[contenteditable="true"]').waitFor({ timeout: 60_000 });
        await page
          .locator('[data-testid="connection-status"][data-status="connected"]')
          .waitFor({ timeout: 60_000 });
        users.push({ name: tag, context, page, typing: null, keys: 0 });
      }
    } catch (error) {
      await browser.close();
      throw error;
    }
    return session;
  }

  get keys(): number {
    return this.users.reduce((sum, user) => sum + user.keys, 0);
  }

  startTyping(seed: number): void {
    this.#typing = true;
    this.users.forEach((user, i) => {
      user.typing = this.#type(user, seed + i).catch((error: unknown) => {
        this.errors.push(`${user.name}: typing failed: ${error}`);
      });
    });
  }

  async stopTyping(): Promise<void> {
    this.#typing = false;
    await Promise.all(this.users.map((user) => user.typing));
  }

  /** Wait until every page says "All changes saved" (an ack covers its whole document). */
  async waitSaved(timeoutMs: number): Promise<void> {
    await Promise.all(
      this.users.map((user) =>
        user.page
          .locator('[data-testid="save-status"][data-state="saved"]')
          .waitFor({ timeout: timeoutMs }),
      ),
    );
  }

  /** Each page's document text (from the app's read-only test hook). */
  texts(): Promise<string[]> {
    return Promise.all(
      this.users.map((user) =>
        user.page.evaluate(() => {
          if (!window.__coeditText) throw new Error('window.__coeditText is missing');
          return window.__coeditText();
        }),
      ),
    );
  }

  async close(): Promise<void> {
    this.#typing = false;
    await this.browser.close();
  }

  async #type(user: User, seed: number): Promise<void> {
    const rng = seededRng(seed);
    const rhythm = new TypingRhythm(rng);
    const content = user.page.locator('.cm-content');
    await content.focus();
    while (this.#typing) {
      const { delayMs, burstStart } = rhythm.next();
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (!this.#typing) break;
      if (burstStart) {
        await content.focus();
        // A click elsewhere, approximated with the keyboard: start or end of the document.
        if (rng() < 0.5)
          await user.page.keyboard.press(rng() < 0.5 ? 'Control+Home' : 'Control+End');
      }
      const key = chooseKeystroke(rng, 1, 1, false);
      if (key.kind === 'insert') {
        await user.page.keyboard.press(
          key.text === '\n' ? 'Enter' : key.text === ' ' ? 'Space' : key.text,
        );
      } else {
        await user.page.keyboard.press('Backspace');
      }
      user.keys++;
    }
  }
}
