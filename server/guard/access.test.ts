/**
 * Capability links on a relay with a secret, over real sockets (README "Security model"):
 * A1 no valid token → 4401 before any frame; A2 view links sync and show presence but never
 * write; A3 revoking a link closes its sockets with 4403 within 1 s and refuses it afterwards
 * (A3b: on every instance sharing the LinkStore);
 * A4 awareness is stamped by the server and nobody can take over someone else's client id;
 * A5 the link API wants an edit token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../lib/close-codes';
import { LocalBus } from '../cluster/local';
import { defaultConfig } from '../config';
import { silentLogger } from '../log';
import { createRelay } from '../relay';
import { createMemoryLinkStore } from '../storage/links-memory';
import { createMemoryStore } from '../storage/memory';
import { rawSocket, startRelay, type TestRelay, waitFor } from '../test/harness';
import {
  awarenessFrame,
  clientWithToken,
  insertFrame,
  step1Frame,
  TEST_SECRET,
  token,
} from '../test/secured';

let relay: TestRelay;

beforeAll(async () => {
  relay = await startRelay({ config: { secret: TEST_SECRET } });
});
afterAll(async () => {
  await relay.close();
});

async function refusedWith(path: string): Promise<{ code: number; frames: number }> {
  const socket = rawSocket(relay.url, path);
  const { code } = await socket.closed;
  return { code, frames: socket.frames.length };
}

async function rejectedCount(reason: string): Promise<number> {
  const text = await (await fetch(`${relay.httpUrl}/metrics`)).text();
  const match = new RegExp(`relay_rejected_total\\{reason="${reason}"\\} (\\d+)`).exec(text);
  return Number(match?.[1] ?? 0);
}

describe('A1: the upgrade needs a valid token for the room', () => {
  it.each([
    ['missing', async () => ''],
    ['forged', async () => `?token=${await token('a1', 'edit', { secret: 'wrong' })}`],
    ['expired', async () => `?token=${await token('a1', 'edit', { exp: 1 })}`],
    ['for another room', async () => `?token=${await token('other', 'edit')}`],
    ['garbage', async () => '?token=not.a.token'],
  ])('%s token: 4401 and nothing of the document', async (_name, query) => {
    const { code, frames } = await refusedWith(`a1${await query()}`);
    expect(code).toBe(CloseCode.Unauthorized);
    expect(frames).toBe(0);
  });

  it('a valid token syncs, and the refusals are counted', async () => {
    const client = clientWithToken(relay.url, 'a1', await token('a1', 'edit'));
    await client.synced();
    client.destroy();
    expect(await rejectedCount('unauthorized')).toBeGreaterThanOrEqual(5);
  });
});

describe('A2: view links read along but never write', () => {
  it('syncs content live, is refused a write with 4403, and nothing is applied or relayed', async () => {
    const editor = clientWithToken(relay.url, 'a2', await token('a2', 'edit'));
    editor.text.insert(0, 'hello');
    await editor.synced();
    const viewer = clientWithToken(relay.url, 'a2', await token('a2', 'view'));
    await viewer.synced();
    await waitFor(() => viewer.text.toString() === 'hello', 5000, 'viewer sees content');
    editor.text.insert(5, ' world');
    await waitFor(() => viewer.text.toString() === 'hello world', 5000, 'viewer sees live edits');

    const sneaky = rawSocket(relay.url, `a2?token=${await token('a2', 'view')}`);
    await sneaky.opened;
    sneaky.ws.send(step1Frame());
    sneaky.ws.send(insertFrame('EVIL'));
    expect((await sneaky.closed).code).toBe(CloseCode.Forbidden);
    editor.text.insert(0, '> ');
    await waitFor(() => viewer.text.toString() === '> hello world', 5000, 'later edit arrives');
    expect(editor.text.toString()).toBe('> hello world');
    expect(await rejectedCount('read-only')).toBeGreaterThanOrEqual(1);
    editor.destroy();
    viewer.destroy();
  });

  it('a view client resending what the room already has stays connected', async () => {
    const editor = clientWithToken(relay.url, 'a2b', await token('a2b', 'edit'));
    editor.text.insert(0, 'cached');
    editor.text.delete(0, 1);
    await editor.synced();
    const viewer = clientWithToken(relay.url, 'a2b', await token('a2b', 'view'));
    await waitFor(() => viewer.text.toString() === 'ached', 5000, 'viewer synced');
    // Like y-indexeddb loading its cached copy: the whole state comes back as one update.
    const ws = viewer.provider.ws as unknown as { send(data: Uint8Array): void };
    const { encodeSyncUpdate } = await import('../protocol');
    const Y = await import('yjs');
    ws.send(encodeSyncUpdate(Y.encodeStateAsUpdate(viewer.doc)));
    editor.text.insert(0, 'c');
    await waitFor(() => viewer.text.toString() === 'cached', 5000, 'viewer still live');
    expect(viewer.provider.wsconnected).toBe(true);
    editor.destroy();
    viewer.destroy();
  });
});

describe('A3: revoking a link', () => {
  it('closes every socket of the link with 4403 within 1 s, and refuses it from then on', async () => {
    const editToken = await token('a3', 'edit');
    const viewToken = await token('a3', 'view');
    const owner = clientWithToken(relay.url, 'a3', editToken);
    const holders = [
      rawSocket(relay.url, `a3?token=${viewToken}`),
      rawSocket(relay.url, `a3?token=${viewToken}`),
    ];
    await owner.synced();
    await Promise.all(holders.map((h) => h.opened));
    await waitFor(() => holders.every((h) => h.frames.length > 0), 5000, 'holders joined');
    const viewLinkId = JSON.parse(
      Buffer.from(viewToken.split('.')[0] ?? '', 'base64url').toString(),
    ).linkId;

    const started = performance.now();
    const response = await fetch(`${relay.httpUrl}/rooms/a3/links/${viewLinkId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${editToken}` },
    });
    expect(response.status).toBe(200);
    const codes = await Promise.all(holders.map((h) => h.closed));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(codes.map((c) => c.code)).toEqual([CloseCode.Forbidden, CloseCode.Forbidden]);
    expect(owner.provider.wsconnected).toBe(true);
    expect((await refusedWith(`a3?token=${viewToken}`)).code).toBe(CloseCode.Unauthorized);
    owner.destroy();
  });
});

describe('A3b: revoking through another instance', () => {
  it('closes the link’s sockets on every instance sharing the LinkStore within 1 s', async () => {
    const bus = new LocalBus();
    const links = createMemoryLinkStore();
    const config = defaultConfig({ port: 0, secret: TEST_SECRET, unloadGraceMs: 50 });
    const [a, b] = [0, 1].map(() =>
      createRelay(config, {
        store: createMemoryStore(),
        logger: silentLogger(),
        cluster: bus.join(),
        links,
      }),
    ) as [ReturnType<typeof createRelay>, ReturnType<typeof createRelay>];
    const [portA, portB] = [(await a.listen()).port, (await b.listen()).port];
    try {
      const editToken = await token('a3b', 'edit');
      const viewToken = await token('a3b', 'view');
      const holder = rawSocket(`ws://127.0.0.1:${portB}`, `a3b?token=${viewToken}`);
      await waitFor(() => holder.frames.length > 0, 5000, 'holder joined instance B');
      const linkId = JSON.parse(
        Buffer.from(viewToken.split('.')[0] ?? '', 'base64url').toString(),
      ).linkId;
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${portA}/rooms/a3b/links/${linkId}/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${editToken}` },
      });
      expect(response.status).toBe(200);
      expect((await holder.closed).code).toBe(CloseCode.Forbidden);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('A4: awareness identity', () => {
  it('stamps states with the sender’s connection and role, and refuses someone else’s id', async () => {
    const editor = clientWithToken(relay.url, 'a4', await token('a4', 'edit'));
    const viewer = clientWithToken(relay.url, 'a4', await token('a4', 'view'));
    await Promise.all([editor.synced(), viewer.synced()]);
    viewer.provider.awareness.setLocalStateField('user', { name: 'viewer' });
    const victimId = viewer.doc.clientID;
    await waitFor(
      () => editor.provider.awareness.getStates().get(victimId)?.user?.name === 'viewer',
      5000,
      'editor sees the viewer',
    );
    const seen = editor.provider.awareness.getStates().get(victimId);
    expect(seen?.relay).toMatchObject({ role: 'view' });

    const attacker = rawSocket(relay.url, `a4?token=${await token('a4', 'edit')}`);
    await attacker.opened;
    attacker.ws.send(step1Frame());
    attacker.ws.send(awarenessFrame(victimId, { user: { name: 'impostor' } }, 50));
    attacker.ws.send(awarenessFrame(777, { user: { name: 'honest attacker' } }));
    await waitFor(
      () => editor.provider.awareness.getStates().get(777) !== undefined,
      5000,
      'the attacker’s own id',
    );
    expect(editor.provider.awareness.getStates().get(victimId)?.user?.name).toBe('viewer');
    expect(await rejectedCount('awareness-refused')).toBeGreaterThanOrEqual(1);
    attacker.ws.close();
    editor.destroy();
    viewer.destroy();
  });
});

describe('A5: the link API', () => {
  const links = (room: string, bearer?: string, init: RequestInit = {}) =>
    fetch(`${relay.httpUrl}/rooms/${room}/links`, {
      ...init,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...init.headers },
    });

  it('lists one edit and one view link for an editor, creates more, and answers CORS preflights', async () => {
    const editToken = await token('a5', 'edit');
    const listed = (await (await links('a5', editToken)).json()) as {
      links: { role: string; token: string }[];
    };
    expect(listed.links.map((l) => l.role).sort()).toEqual(['edit', 'view']);
    const created = await links('a5', editToken, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'view' }),
    });
    expect(created.status).toBe(201);
    const { link } = (await created.json()) as { link: { token: string } };
    const viewer = clientWithToken(relay.url, 'a5', link.token);
    await viewer.synced();
    viewer.destroy();
    const preflight = await links('a5', undefined, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://app.example');
  });

  it('refuses no token (401), a view token (403) and a token of another room (401)', async () => {
    expect((await links('a5b')).status).toBe(401);
    expect((await links('a5b', await token('a5b', 'view'))).status).toBe(403);
    expect((await links('a5b', await token('zzz', 'edit'))).status).toBe(401);
  });
});
