/** The OpenAPI document is valid OpenAPI 3.1, served, and describes exactly the routes served. */
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HistoryRelay, startHistoryRelay } from '../history/test-relay';
import { DOCUMENT_ROUTES } from './documents-http';
import { OPENAPI_DOCUMENT } from './openapi';

let relay: HistoryRelay;
beforeAll(async () => {
  relay = await startHistoryRelay();
});
afterAll(() => relay.close());

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

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
    expect(described.sort()).toEqual(DOCUMENT_ROUTES.map(([m, p]) => `${m} ${p}`).sort());
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
    for (const [method, path] of DOCUMENT_ROUTES) {
      const url = path.replace('{room}', room).replace('{version}', version.id);
      const answer = await fetch(`${relay.httpUrl}${url}`, {
        method: method.toUpperCase(),
        headers: { 'content-type': 'application/json' },
        ...(method === 'get'
          ? {}
          : { body: method === 'patch' ? '[]' : '{"text":"","title":"t"}' }),
      });
      expect([method, path, answer.status]).toEqual([method, path, expect.any(Number)]);
      expect([404, 405]).not.toContain(answer.status);
    }
  });
});
