import { createMemoryVersionStore } from './memory';
import { describeVersionStoreContract } from './version-store.contract';

describeVersionStoreContract(
  'memory',
  async () => {
    const store = createMemoryVersionStore();
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);
