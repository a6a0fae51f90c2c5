/** Builds the relay's VersionHistory from the storage spec and the environment (see options.ts). */
import type { StorageSpec } from '../config';
import type { Logger } from '../log';
import { openVersionStore } from './open-version-store';
import { historyOptionsFromEnv } from './options';
import { VersionHistory } from './service';

export { HistoryOptionError } from './options';

export async function openHistory(
  storage: StorageSpec,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<VersionHistory> {
  const options = historyOptionsFromEnv(env);
  const store = await openVersionStore(storage, (err) =>
    logger.warn({ err }, 'idle history storage connection failed'),
  );
  return new VersionHistory({ store, logger, ...options });
}
