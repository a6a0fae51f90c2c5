/**
 * Presence is hostile input (issue 16): anyone with a link announces their own name, colours and
 * selection, and every other page shows them. A hostile client's names render as text, its
 * colours never reach a style (no element covers the page, no request leaves for its URLs), both
 * when the relay sanitizes (a real y-websocket client from Node) and when a page gets the raw
 * states anyway (injected into the victim's socket, past the relay: the app's own checks).
 */
import type { Page, WebSocketRoute } from '@playwright/test';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_TEXT } from '../lib/doc-schema';
import { MAX_NAME_LENGTH } from '../lib/names';
import { expect, test } from './fixtures';
import type { DocPage } from './pages/doc-page';

declare global {
  interface Window {
    /** Set by a hostile name's markup if it ever ran. */
    __presencePwned?: number;
  }
}

/** Every hostile address carries this, so one check finds any request for one. */
const MARK = 'coedit-hostile';
/** Loopback, a closed port: nothing leaves the machine even if a request were made. */
const HOSTILE_URL = `http://127.0.0.1:9/${MARK}`;

const HOSTILE_USERS: readonly { user: Record<string, unknown>; shownAs: string }[] = [
  {
    user: {
      name: '<img src=x onerror="__presencePwned=1">',
      color: `red; background-image:url(${HOSTILE_URL}/color)`,
      colorLight: `transparent; position: fixed; inset: 0; z-index: 99999; background: url(${HOSTILE_URL}/cover) red`,
    },
    shownAs: '<img src=x onerror="__presencePwned=1">',
  },
  {
    user: {
      name: 'W'.repeat(5000),
      color: `url(${HOSTILE_URL}/url)`,
      colorLight: 'expression(alert(1))',
    },
    shownAs: 'W'.repeat(MAX_NAME_LENGTH),
  },
  {
    user: {
      name: '\u202eevil\u0000\u0007\nname\u2066',
      color: 'expression(alert(1))',
      colorLight: `red; background-image:url(${HOSTILE_URL}/light)`,
      avatar: `${HOSTILE_URL}/avatar.png`,
    },
    shownAs: 'evil name',
  },
];

/** A selection over the whole text (one word in these tests), as relative positions. */
const WHOLE_TEXT = {
  anchor: { type: null, tname: DOC_TEXT, item: null, assoc: -1 },
  head: { type: null, tname: DOC_TEXT, item: null, assoc: 0 },
};

/**
 * Cursors Yjs cannot resolve (it throws on some, which would disable every remote cursor) or
 * that name another root type: the person is listed, without a caret.
 */
const MALFORMED_CURSORS: readonly { name: string; cursor: unknown }[] = [
  {
    name: 'bad item',
    cursor: { anchor: { item: 5 }, head: { item: { client: 'x', clock: 'y' } } },
  },
  { name: 'other type', cursor: { anchor: { tname: 'meta' }, head: { tname: 'comments' } } },
  { name: 'not an object', cursor: 'x' },
];

/** Every hostile person's awareness state. */
const HOSTILE_STATES: readonly Record<string, unknown>[] = [
  ...HOSTILE_USERS.map(({ user }) => ({ user, cursor: WHOLE_TEXT })),
  ...MALFORMED_CURSORS.map(({ name, cursor }) => ({ user: { name }, cursor })),
];

/** The default colour (#30bced) and its light variant, as Chromium computes them. */
const DEFAULT_BACKGROUND = { caret: 'rgb(48, 188, 237)', selection: 'rgba(48, 188, 237, 0.2)' };

/** Record every request the user's browser makes for a hostile address. */
function hostileRequests(victim: DocPage): string[] {
  const seen: string[] = [];
  victim.context.on('request', (request) => {
    if (request.url().includes(MARK)) seen.push(request.url());
  });
  return seen;
}

/** What the victim's page must look like with the hostile people in the room. */
async function expectSafe(victim: DocPage, requests: readonly string[]): Promise<void> {
  const { page } = victim;
  await victim.waitForPresence([
    victim.name,
    ...HOSTILE_USERS.map((h) => h.shownAs),
    ...MALFORMED_CURSORS.map((m) => m.name),
  ]);
  for (const { shownAs } of HOSTILE_USERS) {
    // Text, not markup: the label and the list entry read exactly the name.
    await expect(victim.remoteCursor(shownAs).locator('.cm-ySelectionInfo')).toHaveText(shownAs);
    await expect(victim.presence.locator('bdi', { hasText: shownAs })).toHaveText(shownAs);
  }
  await expect(victim.presence.locator('img')).toHaveCount(0);
  await expect(victim.editor.locator('.cm-ySelectionInfo img')).toHaveCount(0);
  await expect(victim.editor.locator('.cm-ySelection').first()).toBeVisible();
  expect(await page.evaluate(() => window.__presencePwned)).toBeUndefined();
  expect(await decorationStyles(page)).toEqual({
    carets: HOSTILE_USERS.map(() => ({
      style: null,
      position: 'relative',
      backgroundImage: 'none',
      backgroundColor: DEFAULT_BACKGROUND.caret,
    })),
    selections: 'all default',
    covered: [],
  });
  expect(requests).toEqual([]);
}

/**
 * The remote carets' and selections' attributes and computed styles, and the points of the
 * viewport (corners, centre) where a remote decoration is the topmost element.
 */
function decorationStyles(page: Page) {
  return page.evaluate((background) => {
    const describe = (element: Element) => {
      const style = getComputedStyle(element);
      return {
        style: element.getAttribute('style'),
        position: style.position,
        backgroundImage: style.backgroundImage,
        backgroundColor: style.backgroundColor,
      };
    };
    const selections = [...document.querySelectorAll('.cm-ySelection')].map(describe);
    const allDefault = selections.every(
      (s) =>
        s.style === null &&
        s.position === 'static' &&
        s.backgroundImage === 'none' &&
        s.backgroundColor === background,
    );
    const { innerWidth: w, innerHeight: h } = window;
    const points: [number, number][] = [
      [4, 4],
      [w - 4, 4],
      [w / 2, h / 2],
      [4, h - 4],
      [w - 4, h - 4],
    ];
    return {
      carets: [...document.querySelectorAll('.cm-ySelectionCaret')].map(describe),
      selections: selections.length > 0 && allDefault ? 'all default' : selections,
      covered: points.filter(([x, y]) =>
        document.elementFromPoint(x, y)?.closest('.cm-ySelection, .cm-ySelectionCaret'),
      ),
    };
  }, DEFAULT_BACKGROUND.selection);
}

/** `[messageAwareness][update]` for one client's state, as a relay would send it. */
function awarenessFrame(clientId: number, state: Record<string, unknown>): Buffer {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint8Array(encoder, encodeAwarenessUpdate(awareness, [clientId]));
  awareness.destroy();
  doc.destroy();
  return Buffer.from(encoding.toUint8Array(encoder));
}

test('hostile names and colours through the relay: text only, nothing covers the page or loads', async ({
  alice,
  stack,
  room,
}) => {
  const requests = hostileRequests(alice);
  await alice.typeAtEnd('word');
  await alice.waitForSaved();
  const attackers = HOSTILE_STATES.map((state) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(stack.relay.url, room, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    provider.awareness.setLocalState(state);
    return { doc, provider };
  });
  try {
    await expectSafe(alice, requests);
    const metrics = await (await fetch(`http://127.0.0.1:${stack.relay.port}/metrics`)).text();
    expect(metrics).toMatch(/^relay_presence_fields_dropped_total\{field="colorLight"\} [1-9]/m);
  } finally {
    for (const { doc, provider } of attackers) {
      provider.destroy();
      doc.destroy();
    }
  }
});

test('hostile states that reach the page unsanitized (past the relay) are still harmless', async ({
  alice,
}) => {
  await alice.typeAtEnd('word');
  await alice.waitForSaved();
  // Route the victim's relay socket through the test, which then speaks as the relay would if
  // it did not sanitize presence.
  let socket: WebSocketRoute | undefined;
  await alice.context.routeWebSocket(/.*/, (route) => {
    route.connectToServer();
    socket = route;
  });
  await alice.reload();
  const requests = hostileRequests(alice);
  await expect.poll(() => socket !== undefined).toBe(true);
  for (const [i, state] of HOSTILE_STATES.entries()) {
    socket?.send(awarenessFrame(900_001 + i, state));
  }
  await expectSafe(alice, requests);
});
