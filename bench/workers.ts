import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, CommandOp, ReplyMap, Response } from './loadgen-protocol';

const LOADGEN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'loadgen.ts');

/** One forked load-generator process and a request/response channel to it. */
export class Loadgen {
  readonly #child: ChildProcess;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  #exited = false;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.on('message', (response: Response) => {
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      this.#pending.delete(response.id);
      if (response.ok) pending.resolve(response.value);
      else pending.reject(new Error(`loadgen ${child.pid}: ${response.error}`));
    });
    child.on('exit', (code, signal) => {
      this.#exited = true;
      for (const { reject } of this.#pending.values()) {
        reject(new Error(`loadgen ${child.pid} exited (${code ?? signal})`));
      }
      this.#pending.clear();
    });
  }

  /** Forks a worker and waits for its ready message. */
  static start(timeoutMs = 20_000): Promise<Loadgen> {
    const child = fork(LOADGEN, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced', // typed arrays cross the channel without JSON
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('loadgen did not start in time'));
      }, timeoutMs);
      child.once('message', () => {
        clearTimeout(timer);
        resolve(new Loadgen(child));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`loadgen exited during start (${code})`));
      });
    });
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  /** Sends a command; rejects if the worker fails it, exits, or does not answer in `timeoutMs`. */
  call<C extends Command>(command: C, timeoutMs = 120_000): Promise<ReplyMap[C['op'] & CommandOp]> {
    if (this.#exited) return Promise.reject(new Error(`loadgen ${this.pid} has exited`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`loadgen ${this.pid}: ${command.op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as ReplyMap[C['op'] & CommandOp]);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#child.send({ id, command });
    });
  }

  /** Kills the worker and waits for it to be gone. */
  async stop(): Promise<void> {
    if (this.#exited) return;
    const gone = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.kill('SIGKILL');
    await gone;
  }
}

/** A set of load generators used together for one scenario run. */
export class LoadgenPool {
  private constructor(readonly workers: Loadgen[]) {}

  static async start(count: number): Promise<LoadgenPool> {
    const started = await Promise.allSettled(Array.from({ length: count }, () => Loadgen.start()));
    const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(workers.map((w) => w.stop()));
      throw (failed as PromiseRejectedResult).reason;
    }
    return new LoadgenPool(workers);
  }

  get pids(): number[] {
    return this.workers.map((w) => w.pid);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
  }
}
