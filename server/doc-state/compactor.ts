/**
 * Compaction through a Y.Doc on a worker thread: load the updates, encode the state again. This
 * is what garbage-collects deleted content and coalesces the per-keystroke items that merging
 * keeps (automerge-paper: 3.4 MB merged, 311 KB compacted), and it takes tens to hundreds of
 * milliseconds on a large document, so it stays off the thread that relays keystrokes.
 *
 * One worker per relay, started on first use and stopped after a quiet spell (an idle relay keeps
 * no thread). The worker is a short inline script that loads yjs's CommonJS build by its resolved
 * path, so it runs the same from the bundle, under tsx and under vitest.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Stop the worker after this long without work. */
const IDLE_STOP_MS = 10_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Y = require(workerData.yjs);
parentPort.on('message', ({ id, updates }) => {
  try {
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    const dangling = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
    // Left out of the state (encodeStateAsUpdate would append them): the caller decides.
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
    const state = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    parentPort.postMessage({ id, state, dangling }, [state.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly state?: Uint8Array;
  readonly dangling?: boolean;
  readonly error?: string;
}

/** A compacted state; `dangling`: some input did not integrate and is left out of it. */
export interface Compacted {
  readonly state: Uint8Array;
  readonly dangling: boolean;
}

interface Job {
  resolve(compacted: Compacted): void;
  reject(err: Error): void;
}

export class Compactor {
  private worker: Worker | null = null;
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly yjsPath = createRequire(import.meta.url).resolve('yjs');

  /**
   * The compacted state of the document `updates` make. Check `dangling`: a compacted state
   * must never drop anything silently.
   */
  compact(updates: readonly Uint8Array[]): Promise<Compacted> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<Compacted>((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      worker.postMessage({ id, updates });
    });
  }

  /** Stop the worker; pending compactions fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.failAll(new Error('compactor closed'));
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { yjs: this.yjsPath } });
    worker.unref();
    worker.on('message', (reply: Reply) => this.settle(reply));
    worker.on('error', (err) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(err);
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error('compaction worker exited'));
    });
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const job = this.jobs.get(reply.id);
    if (!job) return;
    this.jobs.delete(reply.id);
    if (reply.error !== undefined) job.reject(new Error(`compaction failed: ${reply.error}`));
    else job.resolve({ state: reply.state as Uint8Array, dangling: reply.dangling === true });
    if (this.jobs.size === 0) this.scheduleIdleStop();
  }

  private scheduleIdleStop(): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.jobs.size > 0 || !this.worker) return;
      const worker = this.worker;
      this.worker = null;
      void worker.terminate();
    }, IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private failAll(err: Error): void {
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.reject(err);
  }
}
