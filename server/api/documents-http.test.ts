/**
 * The document API v1 against a real relay, with real y-websocket clients typing while scripts
 * write: every route, every error, auth with share and admin tokens, and attribution.
 */
import { join } from 'node:path';
import { JSDOM } from 'jsdom';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newClientKey } from '../../lib/client-key';
import { DOC_META, MetaKey } from '../../lib/doc-schema';
import { signAdminToken } from '../../lib/token';
import type { Authorship } from '../authorship/spans';
import { typeTokens } from '../cluster/fleet.fixture';
import type { Config } from '../config';
import { startHistoryRelay } from '../history/test-relay';
import { openPostgresStore } from '../storage/postgres';
import { openSqliteStore } from '../storage/sqlite';
import type { DocStore } from '../storage/store';
import {
  connectClient,
  startRelay,
  type TestClient,
  type TestRelay,
  tempDir,
  waitFor,
} from '../test/harness';
import { createTestDatabase, type TestDatabase } from '../test/postgres';
import { TEST_SECRET, token } from '../test/secured';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function relay(
  config: Partial<Config> = {},
  openStore?: () => Promise<DocStore>,
): Promise<TestRelay> {
  const store = await openStore?.();
  const started = await startRelay({ config, ...(store ? { store } : {}) });
  cleanups.push(async () => {
    await started.close();
    await store?.close();
  });
  return started;
}

function client(r: TestRelay, room: string, tokenValue?: string): TestClient {
  const made = connectClient(r.url, room, { clientKey: newClientKey(), token: tokenValue ?? null });
  cleanups.push(() => made.destroy());
  return made;
}

type Call = {
  method?: string;
  body?: string | object;
  auth?: string;
  headers?: Record<string, string>;
};

async function call(r: TestRelay, path: string, options: Call = {}) {
  const { method = 'GET', body, auth, headers = {} } = options;
  const res = await fetch(`${r.httpUrl}/api/v1/documents${path}`, {
    method,
    headers: {
      ...(auth ? { authorization: `Bearer ${auth}` } : {}),
      ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}),
      ...(typeof body === 'string' ? { 'content-type': 'text/plain' } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, text, json, type: res.headers.get('content-type') ?? '' };
}

const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases.splice(0)) await db.drop();
});

/** The storage the write test runs on: the relay's default and the cluster's. */
const BACKENDS: [string, () => Promise<DocStore>][] = [
  [
    'SQLite',
    async () => {
      const dir = tempDir('coedit-api-');
      cleanups.push(() => dir.cleanup());
      return openSqliteStore(join(dir.path, 'coedit.db'));
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase();
      databases.push(db);
      return openPostgresStore(db.url);
    },
  ],
];

describe.each(BACKENDS)('document API on an open relay, %s', (_name, openStore) => {
  it('creates, reads and writes a document while two clients type; every edit survives', async () => {
    const store = await openStore();
    const r = await startRelay({ store });
    cleanups.push(async () => {
      await r.close();
      await store.close();
    });
    const created = await call(r, '', {
      method: 'POST',
      body: { text: 'Hello', title: 'Notes', language: 'markdown' },
    });
    expect(created.status).toBe(201);
    const room = created.json.room as string;
    expect(created.json).toMatchObject({
      editUrl: `/d/${room}`,
      viewUrl: `/d/${room}`,
      editToken: null,
    });

    const info = await call(r, `/${room}`);
    expect(info.json).toMatchObject({ room, title: 'Notes', language: 'markdown', length: 5 });
    const text = await call(r, `/${room}/text`);
    expect([text.status, text.text, text.type]).toEqual([
      200,
      'Hello',
      'text/plain; charset=utf-8',
    ]);

    const a = client(r, room);
    const b = client(r, room);
    await Promise.all([a.synced(), b.synced()]);
    await waitFor(() => a.text.toString() === 'Hello', 10_000, 'a has the text');
    // Typing on both sides while the API appends and patches.
    const typing = Promise.all([typeTokens(a, 'a', 30, 2), typeTokens(b, 'b', 30, 2)]);
    for (let i = 0; i < 10; i++) {
      expect(
        (await call(r, `/${room}/append`, { method: 'POST', body: `<api:${i}>` })).status,
      ).toBe(200);
    }
    const patched = await call(r, `/${room}/text`, {
      method: 'PATCH',
      body: [{ from: 0, to: 0, insert: '<patch>' }],
    });
    expect(patched.status).toBe(200);
    const tokens = [
      ...(await typing).flat(),
      ...Array.from({ length: 10 }, (_, i) => `<api:${i}>`),
      '<patch>',
    ];
    await waitFor(
      () =>
        a.text.toString() === b.text.toString() &&
        tokens.every((t) => a.text.toString().includes(t)),
      10_000,
      'every edit everywhere',
    );
    await waitFor(
      async () => (await call(r, `/${room}/text`)).text === a.text.toString(),
      10_000,
      'API agrees',
    );
  });
});

describe.each(BACKENDS)('document API on an open relay (%s)', (_name, openStore) => {
  it('PUT makes the text exactly the body at once, keeping cursors in text that stays', async () => {
    const r = await relay({}, openStore);
    const room = (await call(r, '', { method: 'POST', body: { text: 'keep this, drop that' } }))
      .json.room as string;
    const a = client(r, room);
    await a.synced();
    await waitFor(() => a.text.length > 0, 10_000, 'synced text');
    // A cursor just before "this".
    const cursor = Y.createRelativePositionFromTypeIndex(a.text, 5);
    const put = await call(r, `/${room}/text`, {
      method: 'PUT',
      body: { text: 'keep this, and more' },
    });
    expect(put.json).toEqual({ room, length: 19 });
    await waitFor(() => a.text.toString() === 'keep this, and more', 10_000, 'the new text');
    expect(Y.createAbsolutePositionFromRelativePosition(cursor, a.doc)?.index).toBe(5);
    // The title too.
    expect(
      (await call(r, `/${room}/title`, { method: 'PUT', body: { title: 'New' } })).status,
    ).toBe(200);
    await waitFor(() => a.doc.getMap(DOC_META).get(MetaKey.Title) === 'New', 10_000, 'title');
  });

  it('renders the document as the preview does: typeset, sanitized, no script', async () => {
    const r = await relay({}, openStore);
    const text =
      '# Field notes\n\nHi <script>alert(1)</script> <img src=x onerror=alert(1)> $x^2$\n\n[go](javascript:alert(1))';
    const room = (await call(r, '', { method: 'POST', body: { text } })).json.room as string;
    const page = await call(r, `/${room}/html`);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<title>Field notes</title>');
    expect(page.text).toMatch(/<h1[^>]*>Field notes<\/h1>/);
    expect(page.text).toContain('class="katex"');
    // Inert: the markup arrives as text; no script, handler or javascript: link in the page.
    const { document } = new JSDOM(page.text).window;
    expect(document.querySelectorAll('script, img')).toHaveLength(0);
    const attributes = [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes]);
    expect(attributes.filter((a) => /^on/i.test(a.name) || /javascript:/i.test(a.value))).toEqual(
      [],
    );
    expect(document.body.textContent).toContain('<script>alert(1)</script>');
  });

  it('attributes API writes to "API" or X-Coedit-Author', async () => {
    const r = await relay({}, openStore);
    const room = (await call(r, '', { method: 'POST', body: { text: 'bot ' } })).json
      .room as string;
    await call(r, `/${room}/append`, {
      method: 'POST',
      body: 'ci',
      headers: { 'x-coedit-author': 'Changelog bot' },
    });
    const res = await fetch(`${r.httpUrl}/rooms/${room}/authorship`);
    const { authors, spans } = (await res.json()) as Authorship;
    const names = new Map(authors.map((a) => [a.id, a.name]));
    expect(spans.map((s) => [s.from, s.to, names.get(s.author ?? '')])).toEqual([
      [0, 4, 'API'],
      [4, 6, 'Changelog bot'],
    ]);
  });

  it('answers every error as {error, code} with its status', async () => {
    // Bodies are bounded like the socket's frames (--max-message-bytes).
    const r = await relay({ maxMessageBytes: 64 * 1024 }, openStore);
    const room = (await call(r, '', { method: 'POST', body: {} })).json.room as string;
    const cases: [string, Call, number, string][] = [
      ['/nosuchroom', {}, 404, 'not-found'],
      ['/bad%room', {}, 400, 'bad-request'],
      [`/${room}/nope`, {}, 404, 'not-found'],
      [`/${room}/text`, { method: 'DELETE' }, 405, 'method-not-allowed'],
      ['', { method: 'DELETE' }, 405, 'method-not-allowed'],
      [
        '',
        { method: 'POST', body: '{oops', headers: { 'content-type': 'application/json' } },
        400,
        'bad-request',
      ],
      ['', { method: 'POST', body: { language: 'cobol' } }, 400, 'bad-request'],
      [`/${room}/text`, { method: 'PUT', body: { text: 5 } }, 400, 'bad-request'],
      [`/${room}/text`, { method: 'PATCH', body: [{ from: 3, to: 1 }] }, 400, 'bad-request'],
      [`/${room}/text`, { method: 'PATCH', body: { edits: [], baseLength: 99 } }, 409, 'conflict'],
      [`/${room}/append`, { method: 'POST', body: 'x'.repeat(65 * 1024) }, 413, 'too-large'],
      [`/${room}/title`, { method: 'PUT', body: { title: 'x'.repeat(201) } }, 400, 'bad-request'],
    ];
    for (const [path, options, status, code] of cases) {
      const res = await call(r, path, options);
      expect([path, res.status, res.json.code]).toEqual([path, status, code]);
      expect(typeof res.json.error).toBe('string');
    }
    expect((await call(r, `/${room}/text`)).text).toBe('');
  });

  it('limits requests per token: past the burst, 429 with Retry-After; other callers go on', async () => {
    // 1 request/s with 10 s of burst: the 11th request in a row is refused.
    const r = await relay({ apiRequestsPerSecond: 1 }, openStore);
    const room = (await call(r, '', { method: 'POST', body: {} })).json.room as string;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call(r, `/${room}`, { auth: 'a' })).status);
    expect(statuses).toEqual(Array(10).fill(200));
    const res = await fetch(`${r.httpUrl}/api/v1/documents/${room}`, {
      headers: { authorization: 'Bearer a' },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { code: string }).code).toBe('rate-limited');
    expect((await call(r, `/${room}`, { auth: 'b' })).status).toBe(200);
  });
});

describe.each(BACKENDS)('document API on a relay with a secret (%s)', (_name, openStore) => {
  it('creating needs an admin token; view tokens read, edit tokens write, admin does all', async () => {
    const r = await relay({ secret: TEST_SECRET }, openStore);
    expect((await call(r, '', { method: 'POST', body: {} })).status).toBe(401);
    const someEdit = await token('other', 'edit');
    expect((await call(r, '', { method: 'POST', body: {}, auth: someEdit })).json.code).toBe(
      'forbidden',
    );
    const admin = await signAdminToken(TEST_SECRET, { linkId: 'admin1' });
    const created = await call(r, '', { method: 'POST', body: { text: 'secret' }, auth: admin });
    expect(created.status).toBe(201);
    const { room, editToken, viewToken, editUrl } = created.json as {
      room: string;
      editToken: string;
      viewToken: string;
      editUrl: string;
    };
    expect(editUrl).toBe(`/d/${room}?t=${editToken}`);

    expect((await call(r, `/${room}/text`)).status).toBe(401);
    expect((await call(r, `/${room}/text`, { auth: viewToken })).text).toBe('secret');
    expect((await call(r, `/${room}/text`, { auth: await token('other', 'view') })).status).toBe(
      401,
    );
    const viewWrite = await call(r, `/${room}/append`, {
      method: 'POST',
      body: '!',
      auth: viewToken,
    });
    expect([viewWrite.status, viewWrite.json.code]).toEqual([403, 'forbidden']);
    expect(
      (await call(r, `/${room}/append`, { method: 'POST', body: '!', auth: editToken })).status,
    ).toBe(200);
    expect(
      (await call(r, `/${room}/append`, { method: 'POST', body: '?', auth: admin })).status,
    ).toBe(200);
    // The links it made work on the socket too.
    const reader = client(r, room, viewToken);
    await waitFor(() => reader.text.toString() === 'secret!?', 10_000, 'the view link reads it');
  });
});

describe('versions through the API', () => {
  it('saves, lists (also at the old address) and restores a version as a live edit', async () => {
    const h = await startHistoryRelay({ config: { secret: TEST_SECRET } });
    cleanups.push(() => h.close());
    const r = h as unknown as TestRelay;
    const admin = await signAdminToken(TEST_SECRET, { linkId: 'admin2' });
    const created = await call(r, '', {
      method: 'POST',
      body: { text: 'first draft' },
      auth: admin,
    });
    const { room, editToken, viewToken } = created.json as {
      room: string;
      editToken: string;
      viewToken: string;
    };
    const saved = await call(r, `/${room}/versions`, {
      method: 'POST',
      body: { name: 'draft' },
      auth: editToken,
    });
    expect(saved.status).toBe(201);
    const id = (saved.json.version as { id: string }).id;
    const viewer = client(r, room, viewToken);
    await call(r, `/${room}/text`, { method: 'PUT', body: 'second draft, longer', auth: admin });
    await waitFor(() => viewer.text.toString() === 'second draft, longer', 10_000, 'the change');
    const listed = await call(r, `/${room}/versions`, { auth: viewToken });
    const old = await fetch(`${h.httpUrl}/rooms/${room}/versions`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(listed.json).toEqual(await old.json());
    const refused = await call(r, `/${room}/versions/${id}/restore`, {
      method: 'POST',
      auth: viewToken,
    });
    expect(refused.json.code).toBe('forbidden');
    const missing = await call(r, `/${room}/versions/nope/restore`, {
      method: 'POST',
      auth: editToken,
    });
    expect(missing.json.code).toBe('not-found');
    const restored = await call(r, `/${room}/versions/${id}/restore`, {
      method: 'POST',
      auth: editToken,
    });
    expect(restored.json).toEqual({ room, length: 11, restored: id });
    await waitFor(() => viewer.text.toString() === 'first draft', 10_000, 'the restore, live');
  });
});
