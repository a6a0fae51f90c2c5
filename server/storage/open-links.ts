/** Maps the configured storage spec (`--storage`) to the LinkStore living beside the documents. */
import type { StorageSpec } from '../config';
import type { LinkStore } from './links';

export async function openLinkStore(
  spec: StorageSpec,
  onIdleError?: (err: Error) => void,
): Promise<LinkStore> {
  switch (spec.kind) {
    case 'memory': {
      const { createMemoryLinkStore } = await import('./links-memory');
      return createMemoryLinkStore();
    }
    case 'sqlite': {
      const { openSqliteLinkStore } = await import('./links-sqlite');
      return openSqliteLinkStore(spec.path);
    }
    case 'postgres': {
      const { openPostgresLinkStore } = await import('./links-postgres');
      return openPostgresLinkStore(spec.url, onIdleError ? { onIdleError } : {});
    }
  }
}
