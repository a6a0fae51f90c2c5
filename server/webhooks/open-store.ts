/** Maps the configured storage spec (`--storage`) to the WebhookStore living beside the documents. */
import type { StorageSpec } from '../config';
import type { WebhookStore } from './store';

export async function openWebhookStore(
  spec: StorageSpec,
  onIdleError?: (err: Error) => void,
): Promise<WebhookStore> {
  switch (spec.kind) {
    case 'memory': {
      const { createMemoryWebhookStore } = await import('./store-memory');
      return createMemoryWebhookStore();
    }
    case 'sqlite': {
      const { openSqliteWebhookStore } = await import('./store-sqlite');
      return openSqliteWebhookStore(spec.path);
    }
    case 'postgres': {
      const { openPostgresWebhookStore } = await import('./store-postgres');
      return openPostgresWebhookStore(spec.url, onIdleError ? { onIdleError } : {});
    }
  }
}
