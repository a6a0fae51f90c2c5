/** Maps the configured storage spec (`--storage`) to a DocStore. Backends load on demand. */
import type { StorageSpec } from '../config';
import type { DocStore } from './store';

export async function openStore(
  spec: StorageSpec,
  onIdleError?: (err: Error) => void,
): Promise<DocStore> {
  switch (spec.kind) {
    case 'memory': {
      const { createMemoryStore } = await import('./memory');
      return createMemoryStore();
    }
    case 'sqlite': {
      const { openSqliteStore } = await import('./sqlite');
      return openSqliteStore(spec.path, onIdleError ? { onCheckpointError: onIdleError } : {});
    }
    case 'postgres': {
      const { openPostgresStore } = await import('./postgres');
      return openPostgresStore(spec.url, onIdleError ? { onIdleError } : {});
    }
  }
}
