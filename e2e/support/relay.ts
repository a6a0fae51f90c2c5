import { join } from 'node:path';
import { type ServerProcess, startServer } from './process';

const READY_LINE = /^relay listening on (ws:\/\/\S+)$/;

export interface RelayOptions {
  /** sqlite file the relay stores into; a restart reuses it. */
  readonly dbFile: string;
  readonly logFile: string;
  /** Repository root (where server/main.ts lives). */
  readonly cwd: string;
  /** More relay flags (e.g. `--secret`, `--redis`). */
  readonly extraArgs?: readonly string[];
  /** Log prefix; default 'relay'. */
  readonly label?: string;
}

/**
 * The coedit relay as a child process (`node --import tsx server/main.ts`). The first start picks
 * a free port; `restart` comes back on the same port with the same sqlite file, which is what a
 * deploy or a crash looks like to connected browsers.
 */
export class Relay {
  #process: ServerProcess | undefined;
  #port = 0;

  private constructor(private readonly options: RelayOptions) {}

  static async start(options: RelayOptions): Promise<Relay> {
    const relay = new Relay(options);
    await relay.start();
    return relay;
  }

  /** `ws://127.0.0.1:PORT` as announced by the relay. */
  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  get running(): boolean {
    return this.#process !== undefined;
  }

  /** Start (again), on the port of the first start. */
  async start(): Promise<void> {
    if (this.#process) throw new Error('relay is already running');
    const { cwd, dbFile, logFile, extraArgs = [], label = 'relay' } = this.options;
    this.#process = await startServer({
      label,
      command: process.execPath,
      args: [
        '--import',
        'tsx',
        join(cwd, 'server', 'main.ts'),
        '--host',
        '127.0.0.1',
        '--port',
        String(this.#port),
        '--storage',
        `sqlite:${dbFile}`,
        ...extraArgs,
      ],
      cwd,
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      logFile,
      readyLine: (line) => READY_LINE.exec(line.trim())?.[1],
    });
    this.#port = Number(new URL(this.#process.ready).port);
  }

  /**
   * Stop the relay: SIGTERM is the graceful path (close sockets with 1001, flush, exit 0);
   * SIGKILL is a crash. Returns the exit code or signal.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
    const running = this.#process;
    if (!running) return 'not running';
    this.#process = undefined;
    return running.stop(signal);
  }
}
