/**
 * A private redis-server for one soak run (no persistence, a free port, the same port across
 * restarts so the relays reconnect), as a tracked process so a crash is noticed.
 */
import { freePort } from '../e2e/support/app';
import { type ServerProcess, startServer } from '../e2e/support/process';
import type { Lifetime, ProcessLedger } from './process-ledger';

export class PrivateRedis {
  #running: { process: ServerProcess; lifetime: Lifetime } | null = null;

  private constructor(
    readonly port: number,
    private readonly logFile: string,
    private readonly ledger: ProcessLedger,
  ) {}

  static async start(logFile: string, ledger: ProcessLedger): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), logFile, ledger);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.#running) throw new Error('redis-server is already running');
    const process = await startServer({
      label: 'redis',
      command: 'redis-server',
      args: [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      logFile: this.logFile,
      readyLine: (line) => (line.includes('Ready to accept connections') ? '' : undefined),
    });
    this.#running = { process, lifetime: this.ledger.track(process) };
  }

  /** The fault: a crash (SIGKILL) and an immediate restart on the same port. */
  async restart(): Promise<void> {
    await this.stop('SIGKILL');
    await this.start();
  }

  /** Freeze (SIGSTOP) or thaw (SIGCONT): connections stay open, nothing is answered. */
  pause(paused: boolean): void {
    const pid = this.#running?.process.pid;
    if (pid) process.kill(pid, paused ? 'SIGSTOP' : 'SIGCONT');
  }

  async stop(signal: 'SIGKILL' | 'SIGTERM' = 'SIGTERM'): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    running.lifetime.expectedExit = signal === 'SIGKILL' ? 'SIGKILL' : '0';
    this.pause(false);
    await running.process.stop(signal);
  }
}
