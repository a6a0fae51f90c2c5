/**
 * Authorship the relay vouches for, with real relays and real y-websocket clients: client ids
 * bound to client keys, squatting refused, spans over the text, renames, and bindings that
 * survive a restart with compaction and a move to another cluster instance.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newClientKey } from '../../lib/client-key';
import { CloseCode } from '../../lib/close-codes';
import { readThreads, reply, setResolved, startThread } from '../../lib/comments';
import { DOC_TEXT } from '../../lib/doc-schema';
import {
  databasePerFile,
  freshPrefix,
  type Instance,
  metric,
  SHARED_REDIS_URL,
  startInstance,
} from '../cluster/fleet.fixture';
import { connectRedisCluster } from '../cluster/redis';
import { encodeSyncUpdate } from '../protocol';
import type { AuthorStore } from '../storage/authors';
import { createMemoryAuthorStore } from '../storage/authors-memory';
import { openPostgresAuthorStore } from '../storage/authors-postgres';
import { openSqliteAuthorStore } from '../storage/authors-sqlite';
import { openPostgresStore } from '../storage/postgres';
import { openSqliteStore } from '../storage/sqlite';
import {
  connectClient,
  rawSocket,
  startRelay,
  type TestClient,
  type TestRelay,
  tempDir,
  waitFor,
} from '../test/harness';
import { TEST_SECRET, token } from '../test/secured';
import type { commentsOf } from './comments';
import type { AuthorDirectory, Authorship } from './spans';

const db = databasePerFile();

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Writer extends TestClient {
  readonly closeCodes: number[];
}

/** A y-websocket client as the app connects: with a client key and a name in awareness. */
function writer(
  url: string,
  room: string,
  options: { key?: string | null; name?: string; color?: string; doc?: Y.Doc } = {},
): Writer {
  const key = options.key === undefined ? newClientKey() : options.key;
  const client = connectClient(url, room, {
    ...(key ? { clientKey: key } : {}),
    ...(options.doc ? { doc: options.doc } : {}),
  });
  if (options.name) {
    client.provider.awareness.setLocalStateField('user', {
      name: options.name,
      color: options.color ?? '#336699',
    });
  }
  const closeCodes: number[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closeCodes.push(event.code);
  });
  cleanups.push(() => client.destroy());
  return { ...client, closeCodes };
}

async function authorship(httpUrl: string, room: string): Promise<Authorship> {
  const res = await fetch(`${httpUrl}/rooms/${room}/authorship`);
  expect(res.status).toBe(200);
  return (await res.json()) as Authorship;
}

/** Spans with author names instead of ids, for readable assertions. */
async function namedSpans(httpUrl: string, room: string) {
  const { authors, spans } = await authorship(httpUrl, room);
  const names = new Map(authors.map((a) => [a.id, a.name]));
  return spans.map((s) => [s.from, s.to, s.author === null ? null : names.get(s.author)]);
}

/**
 * What a squatter sends: `text` appended by a doc that copies `victim`'s state as the room has
 * it and writes with the victim's client id, so the update sits at the victim's next clock.
 */
function squatterUpdate(roomState: Y.Doc, victimId: number, text: string): Uint8Array {
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(roomState));
  forged.clientID = victimId;
  const before = Y.encodeStateVector(forged);
  forged.getText(DOC_TEXT).insert(forged.getText(DOC_TEXT).length, text);
  return Y.encodeStateAsUpdate(forged, before);
}

/** Send `update` over a bare socket (with `key`, if any); resolves once sent. */
async function sendRaw(url: string, room: string, update: Uint8Array, key?: string) {
  const socket = rawSocket(url, key ? `${room}?clientKey=${key}` : room);
  await socket.opened;
  socket.ws.send(encodeSyncUpdate(update));
  cleanups.push(() => socket.ws.terminate());
  return socket;
}

/** Send `update` over a bare socket and resolve with the code the relay closes it with. */
async function closeCodeAfter(url: string, room: string, update: Uint8Array, key?: string) {
  return (await (await sendRaw(url, room, update, key)).closed).code;
}

const converge = (clients: readonly TestClient[], text: string, what: string) =>
  waitFor(() => clients.every((c) => c.text.toString() === text), 10_000, what);

async function relayWith(authors: AuthorStore | null = createMemoryAuthorStore()) {
  const relay = await startRelay({ authors });
  cleanups.push(() => relay.close());
  return relay;
}

describe('authorship stamped by the relay', () => {
  it('names each author of interleaved text, and a rename reaches their earlier text', async () => {
    const relay = await relayWith();
    const ada = writer(relay.url, 'spans', { name: 'Ada', color: '#aa0000' });
    const bob = writer(relay.url, 'spans', { name: 'Bob', color: '#0000bb' });
    await Promise.all([ada.synced(), bob.synced()]);
    ada.text.insert(0, 'Ada1 ');
    await converge([ada, bob], 'Ada1 ', 'Ada1');
    bob.text.insert(5, 'Bob1 ');
    await converge([ada, bob], 'Ada1 Bob1 ', 'Bob1');
    ada.text.insert(10, 'Ada2 😀');
    bob.text.insert(0, '>');
    await converge([ada, bob], '>Ada1 Bob1 Ada2 😀', 'all');
    // UTF-16 offsets, as Y.Text counts: the emoji is two units.
    await waitFor(
      async () =>
        JSON.stringify(await namedSpans(relay.httpUrl, 'spans')) ===
        JSON.stringify([
          [0, 1, 'Bob'],
          [1, 6, 'Ada'],
          [6, 11, 'Bob'],
          [11, 18, 'Ada'],
        ]),
      10_000,
      'spans of both authors',
    );
    const { authors } = await authorship(relay.httpUrl, 'spans');
    expect(authors.map((a) => [a.name, a.color])).toEqual([
      ['Bob', '#0000bb'],
      ['Ada', '#aa0000'],
    ]);

    ada.provider.awareness.setLocalStateField('user', { name: 'Ada L.', color: '#aa0000' });
    await waitFor(
      async () => (await namedSpans(relay.httpUrl, 'spans'))[1]?.[2] === 'Ada L.',
      10_000,
      'the rename',
    );
  });

  it('a rename before the first write reaches the stored profile', async () => {
    const authors = createMemoryAuthorStore();
    const relay = await relayWith(authors);
    const early = writer(relay.url, 'rename-early', { name: 'Early' });
    await early.synced();
    const profileName = async () => (await authors.load('rename-early')).authors[0]?.name;
    await waitFor(async () => (await profileName()) === 'Early', 10_000, 'the reservation');
    early.provider.awareness.setLocalStateField('user', { name: 'Later', color: '#336699' });
    await waitFor(async () => (await profileName()) === 'Later', 10_000, 'the rename');
  });

  it('refuses a connection that writes with another connection’s client id (4403), and stores nothing of it', async () => {
    const relay = await relayWith();
    const ada = writer(relay.url, 'reuse', { name: 'Ada' });
    await ada.synced();
    ada.text.insert(0, 'mine');
    const bob = writer(relay.url, 'reuse', { name: 'Bob' });
    await bob.synced();
    await waitFor(() => bob.text.toString() === 'mine', 10_000, 'bob synced the text');
    // Bob's y-websocket client takes Ada's id while she is connected (Yjs would only notice
    // and change it on receiving a later struct of hers).
    bob.doc.clientID = ada.doc.clientID;
    bob.text.insert(4, ' (as Ada)');
    await waitFor(() => bob.closeCodes.includes(CloseCode.Forbidden), 10_000, '4403');
    expect(await metric(relay.httpUrl, 'relay_rejected_total{reason="client-id-taken"}')).toBe(1);
    const observer = writer(relay.url, 'reuse');
    await observer.synced();
    expect(observer.text.toString()).toBe('mine');
    expect(ada.text.toString()).toBe('mine');
  });

  it('a client without a key can neither write with a keyed id nor lose its own across reconnects', async () => {
    const relay = await relayWith();
    const ada = writer(relay.url, 'keyless', { name: 'Ada' });
    const plain = writer(relay.url, 'keyless', { key: null });
    await Promise.all([ada.synced(), plain.synced()]);
    ada.text.insert(0, 'a');
    plain.text.insert(0, 'p');
    await waitFor(
      () => ada.text.length === 2 && plain.text.toString() === ada.text.toString(),
      10_000,
      'both letters',
    );
    // An unmodified client reconnects (its old socket dropped without a goodbye) and types on
    // with its client id: accepted, as every y-websocket client expects.
    plain.kill();
    plain.provider.shouldConnect = true;
    plain.provider.connect();
    await plain.synced();
    plain.text.insert(0, 'q');
    await waitFor(() => ada.text.toString().startsWith('q'), 10_000, 'after reconnect');
    // A keyed client writing with the keyless id, and a keyless one with the keyed id.
    const keyedSquat = squatterUpdate(ada.doc, plain.doc.clientID, 'x');
    expect(await closeCodeAfter(relay.url, 'keyless', keyedSquat, newClientKey())).toBe(
      CloseCode.Forbidden,
    );
    const keylessSquat = squatterUpdate(ada.doc, ada.doc.clientID, 'y');
    expect(await closeCodeAfter(relay.url, 'keyless', keylessSquat)).toBe(CloseCode.Forbidden);
    expect(ada.text.toString()).not.toMatch(/[xy]/);
  });

  it('GET …/authors maps every client id to its author; both routes are guarded like versions', async () => {
    const relay = await startRelay({ config: { secret: TEST_SECRET } });
    cleanups.push(() => relay.close());
    const room = 'guarded';
    const editToken = await token(room, 'edit');
    const key = newClientKey();
    const ada = connectClient(relay.url, room, { token: editToken, clientKey: key });
    cleanups.push(() => ada.destroy());
    ada.provider.awareness.setLocalStateField('user', { name: 'Ada', color: '#aa0000' });
    await ada.synced();
    ada.text.insert(0, 'signed');
    const get = (path: string, auth?: string) =>
      fetch(`${relay.httpUrl}/rooms/${room}/${path}`, {
        headers: auth ? { authorization: `Bearer ${auth}` } : {},
      });
    expect((await get('authors')).status).toBe(401);
    expect((await get('authorship')).status).toBe(401);
    expect((await get('authors', await token('other-room', 'view'))).status).toBe(401);
    const viewToken = await token(room, 'view');
    await waitFor(
      async () => {
        const body = (await (await get('authors', viewToken)).json()) as AuthorDirectory;
        const authorId = body.clients[String(ada.doc.clientID)];
        return body.authors.some((a) => a.id === authorId && a.name === 'Ada');
      },
      10_000,
      'the directory',
    );
    const spans = (await (await get('authorship', viewToken)).json()) as Authorship;
    expect(spans.spans).toEqual([{ from: 0, to: 6, author: spans.authors[0]?.id }]);
  });

  it('GET …/comments lists threads with the author the relay bound to each message', async () => {
    const relay = await relayWith();
    const ada = writer(relay.url, 'comments', { name: 'Ada' });
    const bob = writer(relay.url, 'comments', { name: 'Bob' });
    await Promise.all([ada.synced(), bob.synced()]);
    ada.text.insert(0, 'one two three');
    startThread(
      ada.text,
      { from: 4, to: 7 },
      { threadId: 't', messageId: 'm1', text: 'why two?', at: 5 },
    );
    await waitFor(() => readThreads(bob.text).length === 1, 10_000, 'the thread at bob');
    reply(bob.doc, 't', { id: 'm2', text: 'because', at: 6 });
    setResolved(bob.doc, 't', true);
    await waitFor(
      async () => {
        const res = await fetch(`${relay.httpUrl}/rooms/comments/comments`);
        const body = (await res.json()) as ReturnType<typeof commentsOf>;
        const thread = body.threads[0];
        return (
          thread?.resolvedBy?.name === 'Bob' &&
          thread.messages.map((m) => `${m.author?.name}: ${m.text}`).join('|') ===
            'Ada: why two?|Bob: because' &&
          thread.quote === 'two' &&
          thread.from === 4 &&
          thread.to === 7
        );
      },
      10_000,
      'the comments API',
    );
  });

  it('a view link’s presence reserves nothing (it never writes); an edit link’s does', async () => {
    const authors = createMemoryAuthorStore();
    const relay = await startRelay({ authors, config: { secret: TEST_SECRET } });
    cleanups.push(() => relay.close());
    const room = 'readers';
    const connect = async (role: 'edit' | 'view', name: string) => {
      const client = connectClient(relay.url, room, {
        token: await token(room, role),
        clientKey: newClientKey(),
      });
      cleanups.push(() => client.destroy());
      client.provider.awareness.setLocalStateField('user', { name, color: '#336699' });
      await client.synced();
      return client;
    };
    const reader = await connect('view', 'Reader');
    const editor = await connect('edit', 'Editor');
    const bound = async () => (await authors.load(room)).bindings.map((b) => b.clientId);
    await waitFor(
      async () => (await bound()).includes(editor.doc.clientID),
      10_000,
      'the editor’s reservation',
    );
    // The reader announced itself first, yet has no binding.
    expect(await bound()).toEqual([editor.doc.clientID]);
    expect(reader.provider.awareness.getStates().size).toBeGreaterThan(0);
  });

  it('refuses a malformed client key at the upgrade (4400)', async () => {
    const relay = await relayWith();
    const socket = rawSocket(relay.url, 'badkey?clientKey=short');
    expect((await socket.closed).code).toBe(CloseCode.MalformedMessage);
    expect(await metric(relay.httpUrl, 'relay_rejected_total{reason="bad-client-key"}')).toBe(1);
  });
});

describe('squatting on an offline writer’s next clock', () => {
  /** The victim writes, goes offline, writes more; the squatter writes at its next clock. */
  async function attack(relay: TestRelay, room: string) {
    const victim = writer(relay.url, room, { name: 'Victim', key: newClientKey() });
    const observer = writer(relay.url, room, { name: 'Observer' });
    await Promise.all([victim.synced(), observer.synced()]);
    victim.text.insert(0, 'hello');
    await converge([victim, observer], 'hello', 'hello');
    victim.provider.disconnect();
    victim.text.insert(5, ' world, written offline');
    const squatter = await sendRaw(
      relay.url,
      room,
      squatterUpdate(observer.doc, victim.doc.clientID, 'EVIL'),
    );
    return { victim, observer, squatter };
  }

  it('is refused, and the victim’s offline edits reach everyone when it reconnects', async () => {
    const relay = await relayWith();
    const { victim, observer, squatter } = await attack(relay, 'squat');
    expect((await squatter.closed).code).toBe(CloseCode.Forbidden);
    victim.provider.connect();
    const expected = 'hello world, written offline';
    await converge([victim, observer], expected, 'the offline edits');
    const late = writer(relay.url, 'squat');
    await converge([late], expected, 'a late joiner');
  });

  it('without the writer gate the squatter’s text is taken under the victim’s id (the attack is real)', async () => {
    const relay = await relayWith(null);
    const { observer, squatter } = await attack(relay, 'squat-open');
    await waitFor(() => observer.text.toString() === 'helloEVIL', 10_000, 'the forged text');
    expect(squatter.ws.readyState).toBe(squatter.ws.OPEN);
  });

  it('an id the victim only announced in presence is theirs before they write', async () => {
    const authors = createMemoryAuthorStore();
    const relay = await relayWith(authors);
    const victim = writer(relay.url, 'presence', { name: 'Quiet' });
    await victim.synced();
    const id = victim.doc.clientID;
    await waitFor(
      async () => (await authors.load('presence')).bindings.some((b) => b.clientId === id),
      10_000,
      'the presence binding',
    );
    const squat = squatterUpdate(victim.doc, id, 'EVIL');
    expect(await closeCodeAfter(relay.url, 'presence', squat)).toBe(CloseCode.Forbidden);
    victim.text.insert(0, 'still mine');
    const observer = writer(relay.url, 'presence');
    await converge([observer], 'still mine', 'the victim writes on');
  });
});

describe('bindings are durable', () => {
  it('survive a restart of the relay and the compaction of the document (SQLite)', async () => {
    const dir = tempDir('coedit-authorship-');
    cleanups.push(() => dir.cleanup());
    const path = join(dir.path, 'coedit.db');
    const start = async () => {
      const store = openSqliteStore(path);
      const authors = openSqliteAuthorStore(path);
      const relay = await startRelay({
        store,
        authors,
        config: { compactAfterUpdates: 3 },
      });
      return {
        relay,
        close: async () => {
          await relay.close();
          await authors.close();
          await store.close();
        },
      };
    };
    const first = await start();
    const key = newClientKey();
    const doc = new Y.Doc();
    const victim = writer(first.relay.url, 'durable', { name: 'Vic', key, doc });
    await victim.synced();
    for (const word of ['one ', 'two ', 'three ', 'four ', 'five '])
      victim.text.insert(victim.text.length, word);
    const observer = writer(first.relay.url, 'durable');
    await converge([observer], 'one two three four five ', 'typed');
    victim.provider.disconnect();
    observer.provider.disconnect();
    await first.close();

    const second = await start();
    cleanups.push(() => second.close());
    const stored = await second.relay.store.load('durable');
    expect(stored.updates.length).toBeLessThan(5);
    const squat = squatterUpdate(doc, doc.clientID, 'EVIL');
    expect(await closeCodeAfter(second.relay.url, 'durable', squat)).toBe(CloseCode.Forbidden);
    const again = writer(second.relay.url, 'durable', { name: 'Vic', key, doc: victim.doc });
    await again.synced();
    again.text.insert(again.text.length, 'six');
    const reader = writer(second.relay.url, 'durable');
    await converge([reader], 'one two three four five six', 'after restart');
    expect(await namedSpans(second.relay.httpUrl, 'durable')).toEqual([[0, 27, 'Vic']]);
  });

  it('move with their writer to another cluster instance (PostgreSQL + Redis)', async () => {
    const prefix = freshPrefix();
    const instances: Instance[] = [];
    for (let i = 0; i < 2; i++) {
      const cluster = await connectRedisCluster({ url: SHARED_REDIS_URL, prefix });
      const store = await openPostgresStore(db.url);
      const authors = await openPostgresAuthorStore(db.url);
      instances.push(await startInstance({ cluster, store, authors, sharedStore: true }));
    }
    cleanups.push(() => Promise.all(instances.map((i) => i.close())));
    const [a, b] = instances as [Instance, Instance];
    const room = freshPrefix();
    const key = newClientKey();
    const onA = writer(a.url, room, { name: 'Mover', key });
    await onA.synced();
    onA.text.insert(0, 'from A');
    const onB = writer(b.url, room, { name: 'Watcher' });
    await converge([onB], 'from A', 'crossed to B');
    onA.provider.disconnect();
    // A squatter on B, which never saw the mover's socket.
    const squat = squatterUpdate(onB.doc, onA.doc.clientID, 'EVIL');
    expect(await closeCodeAfter(b.url, room, squat)).toBe(CloseCode.Forbidden);
    // The mover reconnects to B with its key and its doc, and writes on with the same id.
    const moved = writer(b.url, room, { name: 'Mover', key, doc: onA.doc });
    await moved.synced();
    moved.text.insert(6, ', then B');
    await converge([onB, moved], 'from A, then B', 'the move');
    expect(await namedSpans(b.httpUrl, room)).toEqual([[0, 14, 'Mover']]);
  });
});
