/**
 * The per-address image upload budget: the bucket's arithmetic on a controlled clock, then a real
 * relay process with a small budget behind a trusted proxy (one address runs out and gets 429 with
 * Retry-After; another address, and the same one once refilled, still upload).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateRoomId } from '../../lib/room-id';
import { type RelayProcess, spawnRelay } from '../test/harness';
import { png } from '../test/images';
import { UploadBudget } from './upload-budget';

const KiB = 1024;

describe('UploadBudget', () => {
  it('admits while not in debt, charges what was kept, and refills at the hourly rate', () => {
    let now = 0;
    const budget = new UploadBudget(3600 * KiB, () => now); // 1 KiB a second
    expect(budget.waitMs('a')).toBe(0);
    budget.spend('a', 3000 * KiB);
    expect(budget.waitMs('a')).toBe(0); // 600 KiB left
    budget.spend('a', 1000 * KiB); // the upload that crosses the line still lands
    expect(budget.waitMs('a')).toBe(400_000); // 400 KiB of debt at 1 KiB/s
    expect(budget.waitMs('b')).toBe(0); // another address is not touched
    now += 400_000;
    expect(budget.waitMs('a')).toBe(0);
  });

  it('forgets refilled addresses once it remembers many, and nothing when turned off', () => {
    let now = 0;
    const budget = new UploadBudget(3600 * KiB, () => now);
    for (let i = 0; i < 1024; i++) budget.spend(`10.0.${i >> 8}.${i & 255}`, KiB);
    expect(budget.size).toBe(1024);
    now += 2_000; // every bucket has refilled its 1 KiB
    budget.spend('192.0.2.1', 10 * KiB);
    expect(budget.size).toBe(1);

    const off = new UploadBudget(0, () => now);
    off.spend('a', 10 ** 9);
    expect(off.waitMs('a')).toBe(0);
    expect(off.size).toBe(0);
  });
});

describe('the upload budget on a relay process', () => {
  let relay: RelayProcess;
  let base = '';

  beforeAll(async () => {
    relay = await spawnRelay([
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--storage',
      'memory',
      '--image-upload-budget',
      '100KiB',
      '--trust-proxy',
      '127.0.0.1',
    ]);
    base = `http://127.0.0.1:${relay.port}`;
  }, 60_000);

  afterAll(async () => {
    relay?.child.kill('SIGTERM');
    await relay?.exited;
  });

  async function upload(bytes: Uint8Array, client: string) {
    const res = await fetch(`${base}/rooms/${generateRoomId()}/images`, {
      method: 'POST',
      headers: { 'x-forwarded-for': client },
      body: new Uint8Array(bytes),
    });
    const body = (await res.json()) as { reason?: string; error?: string };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
  }

  it('refuses an address past its budget with 429 and Retry-After; other addresses go on', async () => {
    const within = [1, 2, 3].map((seed) => png(120, 120, { noise: true, seed })); // ~43 KiB each
    const next = png(120, 120, { noise: true, seed: 4 });
    const total = within.reduce((sum, image) => sum + image.length, 0);
    const last = within.at(-1)?.length ?? 0;
    expect(total).toBeGreaterThan(100 * KiB); // the third crosses the line…
    expect(total - last).toBeLessThan(100 * KiB); // …from within the budget

    for (const image of within) expect((await upload(image, '203.0.113.7')).status).toBe(201);
    const refused = await upload(next, '203.0.113.7');
    expect(refused.status).toBe(429);
    expect(refused.body.reason).toBe('over-budget');
    expect(refused.body.error).toMatch(/Try again in \d+ minutes?\./);
    // The overdraft, repaid at 100 KiB an hour (less what refilled in the milliseconds since).
    const debtSeconds = ((total - 100 * KiB) / (100 * KiB)) * 3600;
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(Math.ceil(debtSeconds));
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(Math.floor(debtSeconds) - 1);

    expect((await upload(next, '198.51.100.2')).status).toBe(201);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^relay_image_refusals_total\{reason="over-budget"\} 1$/m);
  });
});
