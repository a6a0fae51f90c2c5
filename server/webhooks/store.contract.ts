/**
 * The WebhookStore behaviour every implementation must have. Each backend's test calls
 * `describeWebhookStoreContract` with a factory; `durable` stores also get the reopen check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptResult, NewDelivery, Webhook, WebhookStore } from './store';

export interface WebhookStoreHarness {
  readonly store: WebhookStore;
  /** Open the same storage again (durable stores only). */
  reopen?(): Promise<WebhookStore>;
  cleanup(): Promise<void>;
}

export type WebhookStoreFactory = () => Promise<WebhookStoreHarness>;

export const hook = (id: string, extra: Partial<Webhook> = {}): Webhook => ({
  id,
  url: `https://example.com/${id}`,
  events: ['document.updated', 'version.created'],
  room: null,
  secret: `secret-${id}`,
  createdAt: 1_000,
  ...extra,
});

export const delivery = (webhookId: string, dedupeKey: string, createdAt = 1_000): NewDelivery => ({
  webhookId,
  dedupeKey,
  event: 'document.updated',
  room: 'r',
  body: JSON.stringify({ event: 'document.updated', key: dedupeKey }),
  createdAt,
});

const retryAt = (at: number, dueAt: number): AttemptResult => ({
  at,
  status: 'pending',
  dueAt,
  responseStatus: 500,
  error: 'HTTP 500',
});

const delivered = (at: number): AttemptResult => ({
  at,
  status: 'delivered',
  dueAt: at,
  responseStatus: 200,
  error: null,
});

export function describeWebhookStoreContract(
  name: string,
  factory: WebhookStoreFactory,
  options: { durable: boolean },
): void {
  describe(`WebhookStore contract: ${name}`, () => {
    let harness: WebhookStoreHarness | null = null;
    const open = async () => {
      harness = await factory();
      return harness;
    };
    afterEach(async () => {
      await harness?.cleanup();
      harness = null;
    });

    it('creates, lists, reads and deletes webhooks', async () => {
      const { store } = await open();
      expect(await store.listWebhooks()).toEqual([]);
      const a = hook('a', { room: 'only-here', events: ['document.deleted'] });
      const b = hook('b', { createdAt: 2_000 });
      await store.createWebhook(a);
      await store.createWebhook(b);
      expect(await store.listWebhooks()).toEqual([a, b]);
      expect(await store.getWebhook('b')).toEqual(b);
      expect(await store.getWebhook('nope')).toBeNull();
      expect(await store.deleteWebhook('a')).toBe(true);
      expect(await store.deleteWebhook('a')).toBe(false);
      expect(await store.listWebhooks()).toEqual([b]);
    });

    it('enqueues one delivery per webhook and dedupe key, and none for unknown webhooks', async () => {
      const { store } = await open();
      await store.createWebhook(hook('a'));
      await store.createWebhook(hook('b'));
      expect(
        await store.enqueue([delivery('a', 'k1'), delivery('b', 'k1'), delivery('x', 'k1')]),
      ).toBe(2);
      expect(await store.enqueue([delivery('a', 'k1'), delivery('a', 'k2')])).toBe(1);
      const log = await store.deliveries('a', 10);
      expect(log.map((d) => JSON.parse(d.body).key)).toEqual(['k2', 'k1']);
      expect(log[1]).toMatchObject({
        webhookId: 'a',
        event: 'document.updated',
        room: 'r',
        status: 'pending',
        attempts: 0,
        createdAt: 1_000,
        dueAt: 1_000,
        lastAttemptAt: null,
        responseStatus: null,
        error: null,
      });
      expect(await store.deliveries('a', 1)).toHaveLength(1);
    });

    it('leases due deliveries to one owner, oldest first, up to the limit', async () => {
      const { store } = await open();
      await store.createWebhook(hook('a'));
      await store.createWebhook(hook('b'));
      await store.enqueue([
        delivery('a', 'late', 1_300),
        delivery('a', 'early', 1_100),
        delivery('a', 'future', 9_000),
        delivery('b', 'other', 1_000),
      ]);
      expect((await store.dueWebhooks(2_000)).sort()).toEqual(['a', 'b']);
      const first = await store.claim('a', 2_000, 1, 'one', 5_000);
      expect(first.map((d) => JSON.parse(d.body).key)).toEqual(['early']);
      const rest = await store.claim('a', 2_000, 10, 'two', 5_000);
      expect(rest.map((d) => JSON.parse(d.body).key)).toEqual(['late']);
      expect(await store.claim('a', 2_000, 10, 'three', 5_000)).toEqual([]);
      expect(await store.dueWebhooks(2_000)).toEqual(['b']);
    });

    it('records attempts only for the lease holder; retries come due again, done ones never', async () => {
      const { store } = await open();
      await store.createWebhook(hook('a'));
      await store.enqueue([delivery('a', 'k1'), delivery('a', 'k2')]);
      const [d1, d2] = await store.claim('a', 1_000, 10, 'me', 2_000);
      if (!d1 || !d2) throw new Error('expected two claims');
      expect(await store.recordAttempt(d1.id, 'someone-else', delivered(1_100))).toBe(false);
      expect(await store.recordAttempt(d1.id, 'me', retryAt(1_100, 1_500))).toBe(true);
      expect(await store.recordAttempt(d2.id, 'me', delivered(1_100))).toBe(true);
      // The lease ended with the attempt: a second record by the same owner is refused.
      expect(await store.recordAttempt(d2.id, 'me', delivered(1_200))).toBe(false);
      expect(await store.claim('a', 1_400, 10, 'me', 3_000)).toEqual([]);
      const again = await store.claim('a', 1_500, 10, 'me', 3_000);
      expect(again).toHaveLength(1);
      expect(again[0]).toMatchObject({
        id: d1.id,
        attempts: 1,
        lastAttemptAt: 1_100,
        responseStatus: 500,
        error: 'HTTP 500',
        dueAt: 1_500,
      });
      const log = await store.deliveries('a', 10);
      expect(log.find((d) => d.id === d2.id)).toMatchObject({
        status: 'delivered',
        attempts: 1,
        responseStatus: 200,
        error: null,
      });
    });

    it('an expired lease can be claimed by another owner, and the first loses it', async () => {
      const { store } = await open();
      await store.createWebhook(hook('a'));
      await store.enqueue([delivery('a', 'k')]);
      const [mine] = await store.claim('a', 1_000, 1, 'crashed', 2_000);
      expect(await store.claim('a', 1_999, 1, 'other', 4_000)).toEqual([]);
      const [theirs] = await store.claim('a', 2_000, 1, 'other', 4_000);
      expect(theirs?.id).toBe(mine?.id);
      expect(await store.recordAttempt(mine?.id ?? '', 'crashed', delivered(2_100))).toBe(false);
      expect(await store.recordAttempt(theirs?.id ?? '', 'other', delivered(2_100))).toBe(true);
    });

    it('deleting a webhook deletes its deliveries', async () => {
      const { store } = await open();
      await store.createWebhook(hook('a'));
      await store.enqueue([delivery('a', 'k')]);
      await store.deleteWebhook('a');
      expect(await store.deliveries('a', 10)).toEqual([]);
      expect(await store.dueWebhooks(5_000)).toEqual([]);
      // A new webhook with the same id starts with a clean slate.
      await store.createWebhook(hook('a'));
      expect(await store.enqueue([delivery('a', 'k')])).toBe(1);
    });

    it('prunes finished deliveries attempted before a time, never pending ones', async () => {
      const { store } = await open();
      await store.createWebhook(hook('a'));
      await store.enqueue([delivery('a', 'old'), delivery('a', 'new'), delivery('a', 'open')]);
      const claimed = await store.claim('a', 1_000, 10, 'me', 2_000);
      const byKey = new Map(claimed.map((d) => [JSON.parse(d.body).key as string, d.id]));
      await store.recordAttempt(byKey.get('old') ?? '', 'me', delivered(1_100));
      await store.recordAttempt(byKey.get('new') ?? '', 'me', {
        ...delivered(1_900),
        status: 'failed',
      });
      await store.recordAttempt(byKey.get('open') ?? '', 'me', retryAt(1_100, 1_200));
      expect(await store.prune(1_500)).toBe(1);
      const left = await store.deliveries('a', 10);
      expect(left.map((d) => JSON.parse(d.body).key).sort()).toEqual(['new', 'open']);
    });

    it('refuses calls after close', async () => {
      const { store } = await open();
      await store.close();
      await expect(store.listWebhooks()).rejects.toThrow(/closed/);
    });

    if (options.durable) {
      it('keeps webhooks and their queue across a reopen', async () => {
        const h = await open();
        await h.store.createWebhook(hook('a'));
        await h.store.enqueue([delivery('a', 'k')]);
        const reopened = await (h.reopen as () => Promise<WebhookStore>)();
        expect(await reopened.listWebhooks()).toEqual([hook('a')]);
        expect(await reopened.enqueue([delivery('a', 'k')])).toBe(0);
        const [due] = await reopened.claim('a', 1_000, 10, 'me', 2_000);
        expect(due?.body).toBe(delivery('a', 'k').body);
      });
    }
  });
}
