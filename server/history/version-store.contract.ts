/**
 * The VersionStore behaviour suite, written once and run against every implementation
 * (memory.test.ts, sqlite.test.ts, postgres.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { NewVersion, VersionStore } from './version-store';

export interface VersionStoreFixture {
  readonly store: VersionStore;
  /** Durable stores only: a new store on the same file/database (after `store.close()`). */
  reopen?(): Promise<VersionStore>;
  cleanup(): Promise<void>;
}

const state = (...values: number[]): Uint8Array => new Uint8Array(values);

const auto = (createdAt: number, ...values: number[]): NewVersion => ({
  kind: 'auto',
  authors: ['Ada'],
  createdAt,
  state: state(...values),
});

export function describeVersionStoreContract(
  name: string,
  makeStore: () => Promise<VersionStoreFixture>,
  options: { durable: boolean },
): void {
  describe(`VersionStore contract: ${name}`, () => {
    let fixture: VersionStoreFixture | undefined;
    const open = async (): Promise<VersionStore> => {
      fixture = await makeStore();
      return fixture.store;
    };
    afterEach(async () => {
      await fixture?.cleanup();
      fixture = undefined;
    });

    it('lists nothing for a room without versions', async () => {
      const store = await open();
      expect(await store.listVersions('none')).toEqual([]);
      expect(await store.getVersion('none', '1')).toBeNull();
    });

    it('saves a version and returns it with exact state and metadata', async () => {
      const store = await open();
      const meta = await store.saveVersion('r', {
        kind: 'named',
        name: 'Draft 1',
        authors: ['Grace', ' Ada ', 'Grace', ''],
        createdAt: 1_700_000_000_123,
        state: state(0, 255, 7),
      });
      expect(meta).toMatchObject({
        kind: 'named',
        name: 'Draft 1',
        authors: ['Ada', 'Grace'],
        createdAt: 1_700_000_000_123,
        bytes: 3,
      });
      const got = await store.getVersion('r', meta.id);
      expect(got?.meta).toEqual(meta);
      expect(Array.from(got?.state ?? [])).toEqual([0, 255, 7]);
      expect(await store.listVersions('r')).toEqual([meta]);
    });

    it('lists oldest first and keeps rooms apart', async () => {
      const store = await open();
      const late = await store.saveVersion('a', auto(3000, 3));
      const early = await store.saveVersion('a', auto(1000, 1));
      const other = await store.saveVersion('b', auto(2000, 2));
      expect((await store.listVersions('a')).map((v) => v.id)).toEqual([early.id, late.id]);
      expect((await store.listVersions('b')).map((v) => v.id)).toEqual([other.id]);
      expect(await store.getVersion('a', other.id)).toBeNull();
      expect(new Set([late.id, early.id, other.id]).size).toBe(3);
      expect(early.name).toBeNull();
    });

    it('deletes only the listed versions of that room', async () => {
      const store = await open();
      const ids = [];
      for (let i = 1; i <= 4; i++) ids.push((await store.saveVersion('d', auto(i, i))).id);
      const foreign = await store.saveVersion('e', auto(1, 9));
      const deleted = await store.deleteVersions('d', [
        ids[1] as string,
        ids[3] as string,
        foreign.id,
        'nope',
        '999999',
      ]);
      expect(deleted).toBe(2);
      expect((await store.listVersions('d')).map((v) => v.id)).toEqual([ids[0], ids[2]]);
      expect(await store.listVersions('e')).toHaveLength(1);
      expect(await store.deleteVersions('d', [])).toBe(0);
    });

    it('treats malformed ids as unknown', async () => {
      const store = await open();
      await store.saveVersion('m', auto(1, 1));
      expect(await store.getVersion('m', 'x; DROP TABLE')).toBeNull();
      expect(await store.getVersion('m', '-1')).toBeNull();
      expect(await store.getVersion('m', '')).toBeNull();
    });

    it('stores a large state byte for byte', async () => {
      const store = await open();
      const big = new Uint8Array(300_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 256;
      const meta = await store.saveVersion('big', {
        kind: 'auto',
        authors: [],
        createdAt: 5,
        state: big,
      });
      expect(meta.bytes).toBe(big.length);
      const got = await store.getVersion('big', meta.id);
      expect(Buffer.from(got?.state ?? []).equals(Buffer.from(big))).toBe(true);
    });

    it('fails after close, and close is idempotent', async () => {
      const store = await open();
      await store.close();
      await store.close();
      await expect(store.listVersions('r')).rejects.toThrow(/closed/);
    });

    if (options.durable) {
      it('keeps versions across close and reopen', async () => {
        const store = await open();
        const meta = await store.saveVersion('k', {
          kind: 'named',
          name: 'Keep me',
          authors: ['Lin'],
          createdAt: 42,
          state: state(4, 2),
        });
        await store.close();
        const again = await (fixture?.reopen?.() ?? Promise.reject(new Error('no reopen')));
        expect(await again.listVersions('k')).toEqual([meta]);
        expect(Array.from((await again.getVersion('k', meta.id))?.state ?? [])).toEqual([4, 2]);
      });
    }
  });
}
