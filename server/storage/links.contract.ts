/**
 * The LinkStore behaviour every implementation must have. Each implementation's test file calls
 * `describeLinkStoreContract` with a factory; `durable` stores also get the reopen checks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkStore } from './links';

export interface LinkStoreHarness {
  readonly store: LinkStore;
  /** Open the same storage again (durable stores only). */
  reopen?(): Promise<LinkStore>;
  cleanup(): Promise<void>;
}

/** `now` is a fake clock the factory must pass to the store. */
export type LinkStoreFactory = (now: () => number) => Promise<LinkStoreHarness>;

export function describeLinkStoreContract(
  name: string,
  factory: LinkStoreFactory,
  options: { durable: boolean },
): void {
  describe(`LinkStore contract: ${name}`, () => {
    let clock = 1_000;
    const now = () => clock;
    let harness: LinkStoreHarness | null = null;
    const open = async () => {
      clock = 1_000;
      harness = await factory(now);
      return harness;
    };
    afterEach(async () => {
      await harness?.cleanup();
      harness = null;
    });

    it('knows nothing of a new room', async () => {
      const { store } = await open();
      expect(await store.list('r')).toEqual([]);
      expect(await store.isRevoked('r', 'link')).toBe(false);
    });

    it('records links oldest first, idempotently', async () => {
      const { store } = await open();
      await store.record('r', 'b-edit', 'edit');
      clock = 2_000;
      await store.record('r', 'a-view', 'view');
      await store.record('r', 'b-edit', 'view');
      expect(await store.list('r')).toEqual([
        { room: 'r', linkId: 'b-edit', role: 'edit', createdAt: 1_000, revokedAt: null },
        { room: 'r', linkId: 'a-view', role: 'view', createdAt: 2_000, revokedAt: null },
      ]);
    });

    it('revokes once, keeps the role, and never un-revokes', async () => {
      const { store } = await open();
      await store.record('r', 'l1', 'view');
      clock = 5_000;
      expect(await store.revoke('r', 'l1')).toBe(true);
      clock = 6_000;
      expect(await store.revoke('r', 'l1')).toBe(false);
      await store.record('r', 'l1', 'edit');
      expect(await store.isRevoked('r', 'l1')).toBe(true);
      expect(await store.list('r')).toEqual([
        { room: 'r', linkId: 'l1', role: 'view', createdAt: 1_000, revokedAt: 5_000 },
      ]);
    });

    it('revokes a link it never saw', async () => {
      const { store } = await open();
      expect(await store.revoke('r', 'unknown')).toBe(true);
      expect(await store.isRevoked('r', 'unknown')).toBe(true);
      expect(await store.list('r')).toEqual([
        { room: 'r', linkId: 'unknown', role: null, createdAt: 1_000, revokedAt: 1_000 },
      ]);
    });

    it('keeps rooms apart', async () => {
      const { store } = await open();
      await store.record('a', 'same', 'edit');
      await store.revoke('b', 'same');
      expect(await store.isRevoked('a', 'same')).toBe(false);
      expect((await store.list('a')).map((l) => l.room)).toEqual(['a']);
    });

    it('fails after close, and close is idempotent', async () => {
      const { store } = await open();
      await store.close();
      await store.close();
      await expect(store.isRevoked('r', 'l')).rejects.toThrow(/closed/);
    });

    if (options.durable) {
      it('keeps revocations across a reopen', async () => {
        const opened = await open();
        await opened.store.record('r', 'kept', 'edit');
        await opened.store.revoke('r', 'gone');
        await opened.store.close();
        const again = await (opened.reopen as () => Promise<LinkStore>)();
        expect(await again.isRevoked('r', 'gone')).toBe(true);
        expect(await again.isRevoked('r', 'kept')).toBe(false);
        expect((await again.list('r')).map((l) => l.linkId)).toEqual(['gone', 'kept']);
      });
    }
  });
}
