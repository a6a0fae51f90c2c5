/** The OpenAPI document is valid OpenAPI 3.1, served, and describes exactly the routes served. */
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_STREAM_PATH } from '../../lib/dashboard';
import { type HistoryRelay, startHistoryRelay } from '../history/test-relay';
import { OPENAPI_DOCUMENT } from './openapi';

let relay: HistoryRelay;
beforeAll(async () => {
  relay = await startHistoryRelay({ authors: true, webhooks: true });
});
afterAll(() => relay.close());

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** The API's routes the relay serves, as `[method, /path/{param}]`; the delete comes last. */
function servedRoutes(): [string, string][] {
  const table = relay.relay
    .routes()
    .filter(({ path }) => path.startsWith('/api/'))
    .map(({ method, path }): [string, string] => [
      method.toLowerCase(),
      path.replace(/:(\w+)/g, '{$1}'),
    ]);
  return [...table.filter(([m]) => m !== 'delete'), ...table.filter(([m]) => m === 'delete')];
}

describe('OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await validate(structuredClone(OPENAPI_DOCUMENT) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    // The validator does reject what is wrong (a response without its description).
    const broken = structuredClone(OPENAPI_DOCUMENT) as { paths: Record<string, unknown> };
    broken.paths['/x'] = { get: { responses: { '200': {} } } };
    expect((await validate(broken as never)).valid).toBe(false);
  });

  it('describes every route the API serves, and nothing else', () => {
    const described = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method} ${path}`),
    );
    const served = servedRoutes();
    expect(described.sort()).toEqual(served.map(([m, p]) => `${m} ${p}`).sort());
  });

  it('is served at /api/v1/openapi.json, and every described route answers (not 404 or 405)', async () => {
    const res = await fetch(`${relay.httpUrl}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    const created = await fetch(`${relay.httpUrl}/api/v1/documents`, { method: 'POST' });
    const { room } = (await created.json()) as { room: string };
    const saved = await fetch(`${relay.httpUrl}/api/v1/documents/${room}/versions`, {
      method: 'POST',
      body: '{"name":"v1"}',
    });
    const { version } = (await saved.json()) as { version: { id: string } };
    const hook = await fetch(`${relay.httpUrl}/api/v1/webhooks`, {
      method: 'POST',
      body: '{"url":"https://example.com/hook","events":["document.updated"]}',
    });
    const webhook = (await hook.json()) as { id: string };
    for (const [method, path] of servedRoutes().filter(([, p]) => p !== DASHBOARD_STREAM_PATH)) {
      const url = path
        .replace('{room}', room)
        .replace('{version}', version.id)
        .replace('{id}', webhook.id);
      const answer = await fetch(`${relay.httpUrl}${url}`, {
        method: method.toUpperCase(),
        headers: { 'content-type': 'application/json' },
        ...(method === 'get'
          ? {}
          : { body: method === 'patch' ? '[]' : '{"text":"","title":"t"}' }),
      });
      expect([method, path, [404, 405].includes(answer.status)]).toEqual([method, path, false]);
    }
    // A stream that stays open: its status is all this checks.
    const stream = await fetch(`${relay.httpUrl}${DASHBOARD_STREAM_PATH}`);
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
  });
});
