/**
 * One relay instance of the soak: the production bundle (`node --enable-source-maps
 * dist/relay.mjs`), restarted on the same port after a fault. `up` is what the load balancer
 * (balancer.ts) believes: false from the moment a fault takes the instance down until it
 * listens again.
 */

import { type ServerProcess, startServer } from '../e2e/support/process';
import { RELAY_NODE_ARGS } from '../scripts/build-relay';
import type { Lifetime, ProcessLedger } from './process-ledger';

const READY_LINE = /^relay listening on (ws:\/\/\S+)$/;

export interface RelayInstanceOptions {
  readonly name: string;
  readonly bundle: string;
  /** Flags after the bundle (storage, Redis, …); host and port are added. */
  readonly args: readonly string[];
  readonly logFile: string;
  readonly ledger: ProcessLedger;
}

export class RelayInstance {
  #running: { process: ServerProcess; lifetime: Lifetime } | null = null;
  #port = 0;
  up = false;

  constructor(private readonly options: RelayInstanceOptions) {}

  get name(): string {
    return this.options.name;
  }

  get port(): number {
    return this.#port;
  }

  /** `ws://127.0.0.1:PORT`, bypassing the balancer. */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The running process's pid and start time, or null while it is down. */
  get current(): Lifetime | null {
    return this.#running?.lifetime ?? null;
  }

  /** Start (again), on the port of the first start. */
  async start(): Promise<void> {
    if (this.#running) throw new Error(`${this.name} is already running`);
    const { name, bundle, args, logFile, ledger } = this.options;
    const process = await startServer({
      label: name,
      command: globalThis.process.execPath,
      args: [
        ...RELAY_NODE_ARGS,
        bundle,
        '--host',
        '127.0.0.1',
        '--port',
        String(this.#port),
        ...args,
      ],
      logFile,
      readyLine: (line) => READY_LINE.exec(line.trim())?.[1],
    });
    this.#running = { process, lifetime: ledger.track(process) };
    this.#port = Number(new URL(process.ready).port);
    this.up = true;
  }

  /**
   * Take the instance down with `signal` (SIGKILL: a crash; SIGTERM: a graceful stop, which
   * must exit 0). Returns the exit code or signal.
   */
  async stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<string> {
    const running = this.#running;
    if (!running) return 'not running';
    this.#running = null;
    this.up = false;
    running.lifetime.expectedExit = signal === 'SIGKILL' ? 'SIGKILL' : '0';
    return String(await running.process.stop(signal, 15_000));
  }
}
