/** Maps the configured storage spec (`--storage`) to the ImageStore living beside the documents. */
import type { StorageSpec } from '../config';
import type { ImageStore } from './images';

export async function openImageStore(
  spec: StorageSpec,
  onIdleError?: (err: Error) => void,
): Promise<ImageStore> {
  switch (spec.kind) {
    case 'memory': {
      const { createMemoryImageStore } = await import('./images-memory');
      return createMemoryImageStore();
    }
    case 'sqlite': {
      const { openSqliteImageStore } = await import('./images-sqlite');
      return openSqliteImageStore(spec.path);
    }
    case 'postgres': {
      const { openPostgresImageStore } = await import('./images-postgres');
      return openPostgresImageStore(spec.url, onIdleError ? { onIdleError } : {});
    }
  }
}
