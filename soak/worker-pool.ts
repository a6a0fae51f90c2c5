/** Orchestrator side of a client worker: fork it, send commands, notice if it dies. */
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type {
  WorkerCommand,
  WorkerOp,
  WorkerReplies,
  WorkerRequest,
  WorkerResponse,
} from './worker-protocol';

const ENTRY = join(import.meta.dirname, 'client-worker.ts');

export class ClientWorker {
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  #nextId = 1;
  /** Set once the process is gone: its exit code or signal. */
  exit: string | null = null;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (response: WorkerResponse) => {
      const pending = this.#pending.get(response.id);
      if (!pending) return;
      this.#pending.delete(response.id);
      if (response.ok) pending.resolve(response.value);
      else pending.reject(new Error(`${name}: ${response.error}`));
    });
    child.on('exit', (code, signal) => {
      this.exit = String(code ?? signal);
      for (const { reject } of this.#pending.values()) {
        reject(new Error(`${name} exited (${this.exit})`));
      }
      this.#pending.clear();
    });
  }

  /** Fork a worker and wait for its ready message. */
  static start(name: string, timeoutMs = 30_000): Promise<ClientWorker> {
    const child = fork(ENTRY, [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced', // typed arrays cross the channel as they are
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start in ${timeoutMs} ms`));
      }, timeoutMs);
      child.once('message', () => {
        clearTimeout(timer);
        resolve(new ClientWorker(name, child));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited during start (${code})`));
      });
    });
  }

  call<C extends WorkerCommand>(
    command: C,
    timeoutMs = 60_000,
  ): Promise<WorkerReplies[C['op'] & WorkerOp]> {
    if (this.exit !== null)
      return Promise.reject(new Error(`${this.name} has exited (${this.exit})`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name}: ${command.op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as WorkerReplies[C['op'] & WorkerOp]);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ id, command } satisfies WorkerRequest);
    });
  }

  /** Kill the worker and wait until it is gone. */
  async stop(): Promise<void> {
    if (this.exit !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await gone;
  }
}
