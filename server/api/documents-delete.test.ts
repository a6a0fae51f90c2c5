/**
 * DELETE /api/v1/documents/<room> and the admin list, on a relay process with every store on
 * SQLite and on PostgreSQL: the sockets are closed 4410 (a y-websocket client stops for good),
 * the document, its versions, images and authors are gone, and stay gone after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientKey } from '../../lib/client-key';
import { CloseCode } from '../../lib/close-codes';
import { signAdminToken } from '../../lib/token';
import {
  connectClient,
  type RelayProcess,
  spawnRelay,
  type TestClient,
  tempDir,
  waitFor,
} from '../test/harness';
import { GIF } from '../test/images';
import { createTestDatabase } from '../test/postgres';
import { TEST_SECRET } from '../test/secured';

interface Backend {
  readonly name: string;
  start(): Promise<{ storage: string; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    async start() {
      const dir = tempDir();
      return { storage: `sqlite:${dir.path}/coedit.db`, cleanup: async () => dir.cleanup() };
    },
  },
  {
    name: 'postgres',
    async start() {
      const db = await createTestDatabase();
      return { storage: db.url, cleanup: () => db.drop() };
    },
  },
];

describe.each(backends)('deleting documents ($name)', (backend) => {
  let storage: Awaited<ReturnType<Backend['start']>>;
  let relay: RelayProcess;
  let base = '';
  let admin = '';
  const clients: TestClient[] = [];

  const start = async () => {
    relay = await spawnRelay([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--storage',
      storage.storage,
      '--secret',
      TEST_SECRET,
    ]);
    base = `http://127.0.0.1:${relay.port}`;
  };
  const stop = async () => {
    relay.child.kill('SIGTERM');
    await relay.exited;
  };

  beforeAll(async () => {
    storage = await backend.start();
    admin = await signAdminToken(TEST_SECRET, { linkId: 'admin-delete' });
    await start();
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await stop();
    await storage.cleanup();
  });

  async function call(path: string, auth: string, init: RequestInit = {}) {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${auth}`, ...(init.headers ?? {}) },
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, json };
  }

  async function create(text: string, title?: string) {
    const { status, json } = await call('/api/v1/documents', admin, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, title }),
    });
    expect(status).toBe(201);
    return json as { room: string; editToken: string; viewToken: string };
  }

  it('closes the sockets with 4410 and removes text, versions, images and authors for good', async () => {
    const doc = await create('hello', 'Doomed');
    const editor = connectClient(`ws://127.0.0.1:${relay.port}`, doc.room, {
      token: doc.editToken,
      clientKey: newClientKey(),
    });
    clients.push(editor);
    const closeCodes: number[] = [];
    editor.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closeCodes.push(event.code);
    });
    await editor.synced();
    editor.text.insert(editor.text.length, ' world');
    const path = `/api/v1/documents/${doc.room}`;
    await waitFor(async () => (await call(`${path}/text`, admin)).status === 200, 5000);
    await waitFor(
      async () =>
        (await fetch(`${base}${path}/text`, { headers: { authorization: `Bearer ${admin}` } }).then(
          (r) => r.text(),
        )) === 'hello world',
      5000,
    );
    const version = await call(`${path}/versions`, doc.editToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'before' }),
    });
    expect(version.status).toBe(201);
    const image = await fetch(`${base}/rooms/${doc.room}/images`, {
      method: 'POST',
      headers: { authorization: `Bearer ${doc.editToken}`, 'content-type': 'image/gif' },
      body: GIF,
    });
    expect(image.status).toBe(201);
    const { hash } = (await image.json()) as { hash: string };
    expect((await call(`/rooms/${doc.room}/authors`, admin)).status).toBe(200);

    // Only an admin token deletes.
    expect((await call(path, doc.editToken, { method: 'DELETE' })).json.code).toBe('forbidden');
    const deleted = await call(path, admin, { method: 'DELETE' });
    expect(deleted).toEqual({ status: 200, json: { room: doc.room, deleted: true } });

    await waitFor(() => closeCodes.includes(CloseCode.DocumentDeleted), 5000);
    // y-websocket gives up for good on 44xx (close-codes.test.ts): nothing is uploaded again.
    expect(editor.provider.wsconnected).toBe(false);

    expect((await call(`${path}/text`, admin)).json.code).toBe('gone');
    expect((await call(`${path}/text`, admin)).status).toBe(410);
    expect((await call(`${path}/versions`, admin)).json).toEqual({ versions: [] });
    const gone = await fetch(`${base}/rooms/${doc.room}/images/${hash}`, {
      headers: { authorization: `Bearer ${doc.viewToken}` },
    });
    expect(gone.status).toBe(404);
    const authors = await call(`/rooms/${doc.room}/authors`, admin);
    expect(authors.json).toMatchObject({ clients: {} });

    // A client that kept the document offline cannot bring it back.
    const late = connectClient(`ws://127.0.0.1:${relay.port}`, doc.room, {
      token: doc.editToken,
      clientKey: newClientKey(),
    });
    clients.push(late);
    late.text.insert(0, 'resurrected?');
    const lateCodes: number[] = [];
    late.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) lateCodes.push(event.code);
    });
    await waitFor(() => lateCodes.includes(CloseCode.DocumentDeleted), 5000);

    // And after a restart it is still deleted; deleting again says so.
    await stop();
    await start();
    expect((await call(`${path}/text`, admin)).status).toBe(410);
    expect((await call(path, admin, { method: 'DELETE' })).status).toBe(410);
    expect((await call('/api/v1/documents/never-was', admin, { method: 'DELETE' })).status).toBe(
      404,
    );
  }, 60_000);

  it('lists documents page by page, for admin tokens only', async () => {
    const made = [];
    for (const text of ['# first', '# second', '# third']) made.push(await create(text));
    const rooms = new Set(made.map((d) => d.room));
    const seen: Record<string, unknown>[] = [];
    let after = '';
    for (let page = 0; page < 100; page++) {
      const { status, json } = await call(`/api/v1/documents?limit=2&after=${after}`, admin);
      expect(status).toBe(200);
      const documents = json.documents as Record<string, unknown>[];
      expect(documents.length).toBeLessThanOrEqual(2);
      seen.push(...documents);
      if (json.next === null) break;
      after = json.next as string;
    }
    const ours = seen.filter((d) => rooms.has(d.room as string));
    expect(ours.map((d) => d.title).sort()).toEqual(['first', 'second', 'third']);
    for (const d of ours) {
      expect(d).toMatchObject({ length: expect.any(Number), people: 0 });
      expect(Date.parse(d.updatedAt as string)).toBeGreaterThan(Date.now() - 60_000);
      expect(d.bytes).toBeGreaterThan(0);
    }
    const ids = seen.map((d) => d.room as string);
    expect(ids).toEqual([...ids].sort());
    const first = made[0];
    if (!first) throw new Error('no document');
    expect((await call('/api/v1/documents', first.editToken)).status).toBe(403);
    expect((await call('/api/v1/documents?limit=0', admin)).json.code).toBe('bad-request');
  }, 60_000);
});
