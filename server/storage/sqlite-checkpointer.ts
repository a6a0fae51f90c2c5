/**
 * Checkpoints a SQLite file's WAL on a worker thread.
 *
 * SQLite's automatic checkpoint runs inside whichever commit pushes the WAL past 1,000 pages, on
 * the relay's event loop, and fsyncs the database file: measured here as 7–20 ms stalls every
 * couple of seconds under load, which every room's broadcasts waited behind (the tail of the
 * relay's latency). The relay's connection turns automatic checkpoints off, and this worker runs
 * PASSIVE checkpoints on its own connection: they copy committed pages into the database file
 * without ever blocking the writer, and the writer restarts the WAL from the top once a
 * checkpoint has caught up.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints; the WAL holds at most about this much of writes. */
export const CHECKPOINT_INTERVAL_MS = 500;

// Plain JavaScript evaluated by the worker, so it runs the same under tsx and from the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stop the worker and close its connection (before the writer closes the file). */
  stop(): Promise<void>;
}

export interface CheckpointerEvents {
  /** A checkpoint failed (the next one retries) or the worker itself failed. */
  onError?(message: string): void;
  /** The worker is gone without `stop()` (it could not open the file, or crashed). */
  onLost?(): void;
}

/** Start checkpointing `path` every `intervalMs`. */
export function startCheckpointer(
  path: string,
  events: CheckpointerEvents = {},
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  const onError = (message: string) => events.onError?.(message);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path, intervalMs },
  });
  // The relay's shutdown stops it; it must never be what keeps a process alive.
  worker.unref();
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError(message.error);
  });
  worker.on('error', (err) => onError(err.message));
  let stopping: Promise<void> | null = null;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      if (!stopping) events.onLost?.();
      resolve();
    }),
  );
  return {
    stop() {
      stopping ??= (async () => {
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}
