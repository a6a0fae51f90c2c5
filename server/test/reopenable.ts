/**
 * The fixture shape the store contracts (DocStore, VersionStore, LinkStore) expect of a durable
 * backend: a store, `reopen()` on the same data, and `cleanup()` closing every instance opened.
 */
export interface ReopenableStore<S> {
  readonly store: S;
  reopen(): Promise<S>;
  cleanup(): Promise<void>;
}

/** Open a store with `open`; `reopen` calls it again, `cleanup` closes all, then runs `after`. */
export async function reopenable<S extends { close(): Promise<void> }>(
  open: () => S | Promise<S>,
  after: () => void = () => {},
): Promise<ReopenableStore<S>> {
  const opened: S[] = [await open()];
  return {
    store: opened[0] as S,
    async reopen() {
      const store = await open();
      opened.push(store);
      return store;
    },
    async cleanup() {
      for (const store of opened) await store.close();
      after();
    },
  };
}
