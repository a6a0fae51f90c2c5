/**
 * The route table on a real HTTP server: what every route gets the same way (404/405, CORS and
 * preflight, the origin rule, path decoding and room ids, access, the rate limit of /api/, and
 * errors as {error, code}).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signAdminToken, signToken } from '../../lib/token';
import { Access } from '../guard/access';
import { createMemoryLinkStore } from '../storage/links-memory';
import { captureLogger } from '../test/harness';
import { TEST_SECRET } from '../test/secured';
import { RequestAuth } from './auth';
import { HttpError } from './http-error';
import { type Route, Router, type RouterOptions } from './router';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((done) => s.close(done));
});

const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/rooms/:room/thing',
    name: 'thing.get',
    access: 'read',
    handle: ({ params, caller, send }) =>
      send(200, { room: params.room, canWrite: caller?.canWrite }),
  },
  {
    method: 'POST',
    path: '/rooms/:room/thing',
    name: 'thing.post',
    access: 'write',
    handle: ({ send }) => send(201, { ok: true }),
  },
  {
    method: 'GET',
    path: '/api/v1/admin-only',
    name: 'admin',
    access: 'admin',
    handle: ({ send }) => send(200, { ok: true }),
  },
  {
    method: 'GET',
    path: '/api/v1/fails',
    name: 'fails',
    access: 'anyone',
    handle: () => {
      throw new Error('boom');
    },
  },
  {
    method: 'GET',
    path: '/api/v1/refuses',
    name: 'refuses',
    access: 'anyone',
    handle: () => {
      throw new HttpError(409, 'conflict', 'not now');
    },
  },
  {
    method: 'GET',
    path: '/ops',
    name: 'ops',
    access: 'anyone',
    browser: false,
    handle: ({ sendText }) => sendText(200, 'fine', 'text/plain'),
  },
];

async function serve(
  options: Partial<Omit<RouterOptions, 'auth' | 'logger'>> = {},
  secured = true,
) {
  const log = captureLogger('warn');
  const access = new Access(secured ? TEST_SECRET : undefined, createMemoryLinkStore());
  const router = new Router({
    allowedOrigins: [],
    logger: log.logger,
    auth: new RequestAuth(access),
    ...options,
  }).add(ROUTES);
  const server = createServer((req, res) => {
    void router.handle(req, res).then((served) => {
      if (!served) res.writeHead(404).end('unrouted');
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {}
    return { res, status: res.status, json, text };
  };
  return { call, log };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('Router', () => {
  it('leaves unknown paths to the caller, and answers 405 with Allow for another method', async () => {
    const { call } = await serve({}, false);
    expect((await call('/nowhere')).text).toBe('unrouted');
    const wrong = await call('/rooms/r1/thing', { method: 'DELETE' });
    expect([wrong.status, wrong.res.headers.get('allow'), wrong.json.code]).toEqual([
      405,
      'GET, HEAD, POST',
      'method-not-allowed',
    ]);
    expect((await call('/rooms/r1/thing/', {})).json).toEqual({ room: 'r1', canWrite: true });
  });

  it('checks paths: a bad escape or an invalid room id is a 400', async () => {
    const { call } = await serve({}, false);
    expect((await call('/rooms/%E0%A4%A/thing')).json.code).toBe('bad-request');
    expect((await call('/rooms/no%20spaces/thing')).json).toEqual({
      error: 'invalid room id',
      code: 'bad-request',
    });
  });

  it('applies the socket rule: share tokens read or write their room, admin tokens do all', async () => {
    const { call } = await serve();
    const view = await signToken(TEST_SECRET, { room: 'r1', role: 'view', linkId: 'l1' });
    const edit = await signToken(TEST_SECRET, { room: 'r1', role: 'edit', linkId: 'l2' });
    const admin = await signAdminToken(TEST_SECRET, { linkId: 'a1' });
    expect((await call('/rooms/r1/thing')).status).toBe(401);
    expect((await call('/rooms/r1/thing', bearer(view))).json).toEqual({
      room: 'r1',
      canWrite: false,
    });
    // The socket's query parameter works too (the app sends it along).
    expect((await call(`/rooms/r1/thing?token=${view}`)).status).toBe(200);
    expect((await call('/rooms/r2/thing', bearer(view))).status).toBe(401);
    expect((await call('/rooms/r1/thing', { method: 'POST', ...bearer(view) })).status).toBe(403);
    expect((await call('/rooms/r1/thing', { method: 'POST', ...bearer(edit) })).status).toBe(201);
    expect((await call('/api/v1/admin-only', bearer(edit))).json.code).toBe('forbidden');
    expect((await call('/api/v1/admin-only', bearer(admin))).status).toBe(200);
    expect((await call('/rooms/r9/thing', { method: 'POST', ...bearer(admin) })).status).toBe(201);
  });

  it('answers CORS and preflights for browser routes, and refuses origins not allowed', async () => {
    const { call } = await serve({ allowedOrigins: ['http://app.example'] }, false);
    const preflight = await call('/rooms/r1/thing', {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.res.headers.get('access-control-allow-origin')).toBe('http://app.example');
    expect(preflight.res.headers.get('access-control-allow-headers')).toBe('authorization');
    const refused = await call('/rooms/r1/thing', { headers: { origin: 'http://evil.example' } });
    expect([refused.status, refused.json.code]).toEqual([403, 'forbidden']);
    // Operators' routes have no CORS and no origin rule.
    const ops = await call('/ops', { headers: { origin: 'http://evil.example' } });
    expect([ops.status, ops.res.headers.get('access-control-allow-origin')]).toEqual([200, null]);
  });

  it('answers errors as {error, code}; an unexpected one is a 500 logged once', async () => {
    const { call, log } = await serve({}, false);
    expect(await call('/api/v1/refuses').then((r) => [r.status, r.json])).toEqual([
      409,
      { error: 'not now', code: 'conflict' },
    ]);
    expect(await call('/api/v1/fails').then((r) => [r.status, r.json])).toEqual([
      500,
      { error: 'internal error', code: 'internal' },
    ]);
    const logged = log.lines().filter((l) => l.msg === 'HTTP request failed');
    expect(logged.map((l) => l.route)).toEqual(['fails']);
  });

  it('asks the rate limit before the API routes only, and answers 429 with Retry-After', async () => {
    const { call } = await serve({ retryAfter: () => 7 }, false);
    const limited = await call('/api/v1/refuses');
    expect([limited.status, limited.res.headers.get('retry-after'), limited.json.code]).toEqual([
      429,
      '7',
      'rate-limited',
    ]);
    expect((await call('/rooms/r1/thing')).status).toBe(200);
  });
});
