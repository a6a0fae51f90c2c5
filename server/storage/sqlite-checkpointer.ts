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
 *
 * A worker thread is a V8 isolate of its own, ~7 MB of RSS, so the relay runs it only while
 * there is something to checkpoint (`startCheckpointerOnDemand`): from the first write until
 * writes have been quiet for a while and the WAL is fully checkpointed.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints; the WAL holds at most about this much of writes. */
export const CHECKPOINT_INTERVAL_MS = 500;

/** An on-demand worker stops once the WAL is checkpointed and nothing was written for this long. */
export const CHECKPOINT_IDLE_STOP_MS = 30_000;

// Plain JavaScript evaluated by the worker, so it runs the same under tsx and from the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    if (result && result.log === result.checkpointed) parentPort.postMessage({ caughtUp: true });
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
  /** A checkpoint left nothing in the WAL that is not also in the database file. */
  onCaughtUp?(): void;
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
  worker.on('message', (message: { error?: string; caughtUp?: boolean }) => {
    if (message.error) onError(message.error);
    if (message.caughtUp) events.onCaughtUp?.();
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

export interface OnDemandCheckpointer {
  /** A commit wrote to the WAL: starts the worker unless it runs. Cheap enough for every commit. */
  noteWrite(): void;
  /** Whether a worker is running now. */
  running(): boolean;
  /** Stop the worker, if any, and start none again (before the writer closes the file). */
  stop(): Promise<void>;
}

export interface OnDemandOptions {
  intervalMs?: number;
  idleStopMs?: number;
}

/**
 * Checkpoint `path` on a worker that runs only while writes come in: started by the first
 * `noteWrite()`, stopped after a checkpoint that caught up with the WAL at least `idleStopMs`
 * after the last write (so the WAL it leaves holds nothing the database file lacks). A worker
 * that is lost is reported through `onLost` and never restarted: the writer then checkpoints
 * inline for good, rather than paying a failing thread start on every write.
 */
export function startCheckpointerOnDemand(
  path: string,
  events: CheckpointerEvents = {},
  {
    intervalMs = CHECKPOINT_INTERVAL_MS,
    idleStopMs = CHECKPOINT_IDLE_STOP_MS,
  }: OnDemandOptions = {},
): OnDemandCheckpointer {
  let active: Checkpointer | null = null;
  let lastWriteAt = 0;
  let lost = false;
  let stopped = false;
  const retiring = new Set<Promise<void>>();
  const retire = () => {
    const worker = active;
    if (!worker) return;
    active = null;
    const done = worker.stop().finally(() => retiring.delete(done));
    retiring.add(done);
  };
  const start = (): Checkpointer => {
    const worker: Checkpointer = startCheckpointer(
      path,
      {
        onError: (message) => events.onError?.(message),
        onLost: () => {
          lost = true;
          if (active === worker) active = null;
          events.onLost?.();
        },
        // A write after this checkpoint sets lastWriteAt before the message is handled here.
        onCaughtUp: () => {
          if (active === worker && performance.now() - lastWriteAt >= idleStopMs) retire();
        },
      },
      intervalMs,
    );
    return worker;
  };
  return {
    noteWrite() {
      lastWriteAt = performance.now();
      if (!active && !lost && !stopped) active = start();
    },
    running: () => active !== null,
    async stop() {
      stopped = true;
      retire();
      await Promise.all(retiring);
    },
  };
}
