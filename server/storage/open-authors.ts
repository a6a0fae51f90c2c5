/** Maps the configured storage spec (`--storage`) to the AuthorStore living beside the documents. */
import type { StorageSpec } from '../config';
import type { AuthorStore } from './authors';

export async function openAuthorStore(
  spec: StorageSpec,
  onIdleError?: (err: Error) => void,
): Promise<AuthorStore> {
  switch (spec.kind) {
    case 'memory': {
      const { createMemoryAuthorStore } = await import('./authors-memory');
      return createMemoryAuthorStore();
    }
    case 'sqlite': {
      const { openSqliteAuthorStore } = await import('./authors-sqlite');
      return openSqliteAuthorStore(spec.path);
    }
    case 'postgres': {
      const { openPostgresAuthorStore } = await import('./authors-postgres');
      return openPostgresAuthorStore(spec.url, onIdleError ? { onIdleError } : {});
    }
  }
}
