import { type BrowserContext, expect, type Locator, type Page } from '@playwright/test';
import { storedUpdateCount } from '../support/device-storage';
import type { NetworkLink } from '../support/network-link';

declare global {
  interface Window {
    /** Exposed by the app for tests: the document's Y.Text as a string. */
    __coeditText?: () => string;
  }
}

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';
export type SaveState = 'saving' | 'saved' | 'offline';

export const SAVE_TEXT: Record<SaveState, string> = {
  saving: 'Saving…',
  saved: 'All changes saved',
  offline: 'Offline: changes are kept on this device',
};

/** How long to wait for anything that travels through the relay to other users. */
export const SYNC_TIMEOUT = 15_000;

/**
 * How long a page may take to load, hydrate and mount the editor. Generous because it is CPU
 * bound: several browsers opening at once on a busy 2-core machine take seconds each.
 */
export const LOAD_TIMEOUT = 30_000;

/** The network of one browser context: shared by all of that user's tabs. */
export interface UserNetwork {
  readonly context: BrowserContext;
  readonly link: NetworkLink;
  /** Tag the link knows this context's connections by. */
  readonly tag: string;
}

/**
 * One user's tab on a document page. Everything goes through what a user does (keyboard, clicks)
 * and what they see (DOM), except reading the exact text, which uses the app's
 * `window.__coeditText()` because the editor renders lines lazily.
 */
export class DocPage {
  readonly editor: Locator;
  readonly content: Locator;
  readonly title: Locator;
  readonly connection: Locator;
  readonly saveStatus: Locator;
  readonly presence: Locator;
  readonly presenceUsers: Locator;
  readonly displayName: Locator;
  readonly language: Locator;

  constructor(
    readonly page: Page,
    /** The display name this user goes by (set with {@link setName}). */
    readonly name: string,
    private readonly network: UserNetwork,
  ) {
    this.editor = page.getByTestId('editor');
    this.content = this.editor.locator('.cm-content');
    this.title = page.getByTestId('doc-title');
    this.connection = page.getByTestId('connection-status');
    this.saveStatus = page.getByTestId('save-status');
    this.presence = page.getByRole('region', { name: 'People here' });
    this.presenceUsers = page.getByTestId('presence-user');
    this.displayName = page.getByTestId('display-name');
    this.language = page.getByTestId('language-picker');
  }

  get context(): BrowserContext {
    return this.network.context;
  }

  /** Open `/d/<room>` and wait until the editor is usable and connected. */
  async gotoDoc(room: string): Promise<void> {
    await this.open(`/d/${room}`);
  }

  /** Open a document by URL or path (e.g. a copied link). */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.waitUntilReady();
  }

  async waitUntilReady(): Promise<void> {
    await expect(this.content).toBeVisible({ timeout: LOAD_TIMEOUT });
    await expect(this.content).toHaveAttribute('contenteditable', 'true');
    await expect(this.connection).toHaveAttribute('data-status', 'connected', {
      timeout: LOAD_TIMEOUT,
    });
    await this.page.waitForFunction(() => typeof window.__coeditText === 'function');
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitUntilReady();
  }

  /** Type a new display name the way a user does, and wait until presence shows it. */
  async setName(name: string): Promise<void> {
    await this.displayName.fill(name);
    await this.displayName.press('Enter');
    await this.displayName.blur();
    await expect(this.presenceUsers.filter({ hasText: '(you)' })).toContainText(name);
  }

  // ── editing ────────────────────────────────────────────────────────────────────────────────

  /** Put the caret at character offset `pos` with the keyboard (Ctrl+Home, then → × pos). */
  async moveCursorTo(pos: number): Promise<void> {
    await this.content.focus();
    await this.page.keyboard.press('Control+Home');
    for (let i = 0; i < pos; i++) await this.page.keyboard.press('ArrowRight');
  }

  /** Type `text` at offset `pos`, key by key (`delayMs` between keys lets users interleave). */
  async typeAt(pos: number, text: string, delayMs = 0): Promise<void> {
    await this.moveCursorTo(pos);
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  /** Type at the end of the document. */
  async typeAtEnd(text: string, delayMs = 0): Promise<void> {
    await this.content.focus();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  /** Type where the caret already is (keeps the caret across calls). */
  async type(text: string, delayMs = 0): Promise<void> {
    await this.content.focus();
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  /** Paste-like bulk input (one input event), for setting up long documents quickly. */
  async insertAtEnd(text: string): Promise<void> {
    await this.content.focus();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.insertText(text);
  }

  /**
   * Paste `text` at the end as a user's Ctrl+V does: a paste event carrying the text, which the
   * editor inserts in one transaction. (`insertAtEnd` goes through the browser's contenteditable
   * editing instead, which costs time quadratic in the number of lines: 8 s for 1,000 lines.)
   */
  async pasteAtEnd(text: string): Promise<void> {
    await this.content.focus();
    await this.page.keyboard.press('Control+End');
    await this.content.evaluate((content, pasted) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData('text/plain', pasted);
      content.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
      );
    }, text);
  }

  async undo(): Promise<void> {
    await this.content.focus();
    await this.page.keyboard.press('Control+z');
  }

  async redo(): Promise<void> {
    await this.content.focus();
    // Capital Z: Shift+Z sends "Z" on a real keyboard, and CodeMirror keys on that.
    await this.page.keyboard.press('Control+Shift+Z');
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────

  /** The document text as this user's Y.Doc holds it. */
  async text(): Promise<string> {
    return this.page.evaluate(() => {
      if (!window.__coeditText) throw new Error('window.__coeditText is missing');
      return window.__coeditText();
    });
  }

  /** Wait until the text equals `expected` (string) or contains it (`{ contains }`). */
  async waitForText(
    expected: string | { contains: string },
    timeout = SYNC_TIMEOUT,
  ): Promise<void> {
    const poll = expect.poll(() => this.text(), {
      timeout,
      message: `${this.name}'s text`,
    });
    if (typeof expected === 'string') await poll.toBe(expected);
    else await poll.toContain(expected.contains);
  }

  // ── presence ───────────────────────────────────────────────────────────────────────────────

  /** Names in "People here" (without avatars, "(you)" or the buttons' "Follow"), in order. */
  async presentNames(): Promise<string[]> {
    return this.presenceUsers.locator('bdi').allTextContents();
  }

  /** Wait until "People here" lists exactly `names` (any order; include yourself). */
  async waitForPresence(names: readonly string[], timeout = SYNC_TIMEOUT): Promise<void> {
    await expect
      .poll(async () => (await this.presentNames()).map(nameIn(names)).sort(), {
        timeout,
        message: `${this.name}'s "People here"`,
      })
      .toEqual([...names].sort());
  }

  /** The remote cursor labelled with `name` (y-codemirror.next's caret and its label). */
  remoteCursor(name: string): Locator {
    return this.editor.locator('.cm-ySelectionCaret').filter({
      has: this.page.locator('.cm-ySelectionInfo', { hasText: name }),
    });
  }

  async waitForRemoteCursor(name: string, timeout = SYNC_TIMEOUT): Promise<void> {
    await expect(this.remoteCursor(name)).toHaveCount(1, { timeout });
  }

  // ── status ─────────────────────────────────────────────────────────────────────────────────

  async waitForConnection(status: ConnectionStatus, timeout = SYNC_TIMEOUT): Promise<void> {
    await expect(this.connection).toHaveAttribute('data-status', status, { timeout });
  }

  async waitForSaveState(state: SaveState, timeout = SYNC_TIMEOUT): Promise<void> {
    await expect(this.saveStatus).toHaveAttribute('data-state', state, { timeout });
    await expect(this.saveStatus).toContainText(SAVE_TEXT[state]);
  }

  /** Wait for "All changes saved": the relay acknowledged everything this tab has. */
  async waitForSaved(timeout = SYNC_TIMEOUT): Promise<void> {
    await this.waitForSaveState('saved', timeout);
  }

  // ── network ────────────────────────────────────────────────────────────────────────────────

  /**
   * Take this user's whole browser context offline: the browser refuses new connections
   * (`setOffline`) and the link drops the open WebSocket, as a lost network would.
   */
  async goOffline(): Promise<void> {
    await this.context.setOffline(true);
    this.network.link.cut(this.network.tag);
  }

  async goOnline(): Promise<void> {
    this.network.link.restore(this.network.tag);
    await this.context.setOffline(false);
  }

  /** Lose only the relay (the app's own server stays reachable, so the page can reload). */
  disconnectRelay(): void {
    this.network.link.cut(this.network.tag);
  }

  reconnectRelay(): void {
    this.network.link.restore(this.network.tag);
  }

  /** Yjs updates this browser keeps on the device for `room` (see {@link storedUpdateCount}). */
  async storedUpdateCount(room: string): Promise<number> {
    return storedUpdateCount(this.page, room);
  }

  /** Another tab of the same user (same context, same network) on `room`. */
  async openTab(room: string): Promise<DocPage> {
    const tab = new DocPage(await this.context.newPage(), this.name, this.network);
    await tab.gotoDoc(room);
    return tab;
  }

  /** Close this tab the way a user does (no beforeunload prompt). */
  async close(): Promise<void> {
    await this.page.close();
  }
}

/**
 * Map a presence entry to the expected name it contains (longest first, so "ann" does not claim
 * "anna"), so avatars or other decorations around the name do not matter.
 */
function nameIn(names: readonly string[]): (entry: string) => string {
  const longestFirst = [...names].sort((a, b) => b.length - a.length);
  return (entry) => longestFirst.find((name) => entry.includes(name)) ?? entry;
}
