/**
 * The AuthorStore behaviour every implementation must have. Each implementation's test file
 * calls `describeAuthorStoreContract` with a factory; `durable` stores also get the reopen check.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AuthorProfile, AuthorStore, ClientBinding } from './authors';

export interface AuthorStoreHarness {
  readonly store: AuthorStore;
  /** Open the same storage again (durable stores only). */
  reopen?(): Promise<AuthorStore>;
  cleanup(): Promise<void>;
}

/** `now` is a fake clock the factory passes to stores that keep creation times. */
export type AuthorStoreFactory = (now: () => number) => Promise<AuthorStoreHarness>;

const ada: AuthorProfile = { authorId: 'k-ada', name: 'Ada', color: '#aa0000', linkId: null };
const bob: AuthorProfile = { authorId: 'k-bob', name: 'Bob', color: '#0000bb', linkId: 'l1' };
const adaBinding = (clientId: number): ClientBinding => ({
  clientId,
  authorId: ada.authorId,
  keyHash: 'hash-ada',
});
const bobBinding = (clientId: number): ClientBinding => ({
  clientId,
  authorId: bob.authorId,
  keyHash: 'hash-bob',
});

export function describeAuthorStoreContract(
  name: string,
  factory: AuthorStoreFactory,
  options: { durable: boolean },
): void {
  describe(`AuthorStore contract: ${name}`, () => {
    let clock = 1_000;
    const now = () => clock;
    let harness: AuthorStoreHarness | null = null;
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
      expect(await store.load('r')).toEqual({ bindings: [], authors: [] });
    });

    it('binds new ids and answers the first binding for ids already bound', async () => {
      const { store } = await open();
      expect(await store.bind('r', [adaBinding(1), adaBinding(2)], ada)).toEqual([
        adaBinding(1),
        adaBinding(2),
      ]);
      clock = 2_000;
      // Bob claims 2 (Ada's) and 3 (free): he gets 3 only.
      expect(await store.bind('r', [bobBinding(2), bobBinding(3)], bob)).toEqual([
        adaBinding(2),
        bobBinding(3),
      ]);
      const loaded = await store.load('r');
      expect(sortById(loaded.bindings)).toEqual([adaBinding(1), adaBinding(2), bobBinding(3)]);
      expect(loaded.authors).toEqual([ada, bob]);
    });

    it('keeps the largest client ids (Yjs ids are unsigned 32-bit) and keyless bindings', async () => {
      const { store } = await open();
      const keyless: ClientBinding = { clientId: 4_294_967_295, authorId: 'c-1', keyHash: null };
      expect(await store.bind('r', [keyless], { ...ada, authorId: 'c-1' })).toEqual([keyless]);
      expect((await store.load('r')).bindings).toEqual([keyless]);
    });

    it('a rename replaces the profile, as does binding with a name; binding without one does not', async () => {
      const { store } = await open();
      await store.bind('r', [adaBinding(1)], ada);
      const renamed = { ...ada, name: 'Ada L.', color: '#00aa00' };
      await store.saveProfile('r', renamed);
      expect((await store.load('r')).authors).toEqual([renamed]);
      await store.bind('r', [adaBinding(5)], { ...ada, name: null, color: null });
      expect((await store.load('r')).authors).toEqual([renamed]);
      await store.bind('r', [adaBinding(6)], ada);
      expect((await store.load('r')).authors).toEqual([ada]);
    });

    it('saves a profile it never saw', async () => {
      const { store } = await open();
      await store.saveProfile('r', bob);
      expect((await store.load('r')).authors).toEqual([bob]);
    });

    it('keeps rooms apart and deletes one room whole', async () => {
      const { store } = await open();
      await store.bind('a', [adaBinding(1)], ada);
      await store.bind('b', [bobBinding(1)], bob);
      expect((await store.load('b')).bindings).toEqual([bobBinding(1)]);
      await store.deleteRoom('a');
      expect(await store.load('a')).toEqual({ bindings: [], authors: [] });
      expect((await store.load('b')).authors).toEqual([bob]);
    });

    it('refuses calls after close', async () => {
      const { store } = await open();
      await store.close();
      await expect(store.load('r')).rejects.toThrow(/closed/);
    });

    if (options.durable) {
      it('keeps bindings and profiles across a reopen', async () => {
        const h = await open();
        await h.store.bind('r', [adaBinding(7)], ada);
        await h.store.saveProfile('r', { ...ada, name: 'Ada 2' });
        const reopened = await (h.reopen as () => Promise<AuthorStore>)();
        expect(await reopened.load('r')).toEqual({
          bindings: [adaBinding(7)],
          authors: [{ ...ada, name: 'Ada 2' }],
        });
        expect(await reopened.bind('r', [bobBinding(7)], bob)).toEqual([adaBinding(7)]);
      });
    }
  });
}

function sortById(bindings: readonly ClientBinding[]): ClientBinding[] {
  return [...bindings].sort((a, b) => a.clientId - b.clientId);
}
