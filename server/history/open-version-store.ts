/** Maps the configured storage spec (`--storage`) to the matching VersionStore. */
import type { StorageSpec } from '../config';
import type { VersionStore } from './version-store';

export async function openVersionStore(
  spec: StorageSpec,
  onIdleError?: (err: Error) => void,
): Promise<VersionStore> {
  switch (spec.kind) {
    case 'memory': {
      const { createMemoryVersionStore } = await import('./memory');
      return createMemoryVersionStore();
    }
    case 'sqlite': {
      const { openSqliteVersionStore } = await import('./sqlite');
      return openSqliteVersionStore(spec.path);
    }
    case 'postgres': {
      const { openPostgresVersionStore } = await import('./postgres');
      return openPostgresVersionStore(spec.url, onIdleError ? { onIdleError } : {});
    }
  }
}
