/**
 * A private PostgreSQL cluster for one soak run: `initdb` into a temporary directory owned by
 * the postgres user, the postmaster run in the foreground (so its exit status is ours to see)
 * on a free port of 127.0.0.1, trust auth. Faults restart it with `pg_ctl stop -m fast` and a
 * fresh start — `pg_ctl restart -m fast` in two steps — never touching the shared server.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../e2e/support/app';
import { type ServerProcess, startServer, waitUntil } from '../e2e/support/process';
import type { Lifetime, ProcessLedger } from './process-ledger';

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** bin/ of the newest installed major version. */
function postgresBin(): string {
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  if (!versions[0]) throw new Error(`no PostgreSQL under ${POSTGRES_ROOT}`);
  return join(POSTGRES_ROOT, versions[0], 'bin');
}

function asPostgres(command: string, args: readonly string[]): string[] {
  return ['-u', 'postgres', '--', command, ...args];
}

export class PrivatePostgres {
  #running: { process: ServerProcess; lifetime: Lifetime } | null = null;

  private constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    readonly port: number,
    private readonly logFile: string,
    private readonly ledger: ProcessLedger,
  ) {}

  /** initdb into `dir/pgdata` and start. `dir` must be traversable by the postgres user. */
  static async start(
    dir: string,
    logFile: string,
    ledger: ProcessLedger,
  ): Promise<PrivatePostgres> {
    const bin = postgresBin();
    const dataDir = join(dir, 'pgdata');
    mkdirSync(dataDir, { mode: 0o700 });
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dataDir, uid, gid);
    execFileSync(
      'runuser',
      asPostgres(join(bin, 'initdb'), [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '--no-sync',
      ]),
      { stdio: 'pipe' },
    );
    const server = new PrivatePostgres(bin, dataDir, await freePort(), logFile, ledger);
    await server.start();
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    if (this.#running) throw new Error('postgres is already running');
    const process = await startServer({
      label: 'postgres',
      command: 'runuser',
      args: asPostgres(join(this.bin, 'postgres'), [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        `unix_socket_directories=${this.dataDir}`,
        // Faults here end processes, never the machine: the OS keeps every committed write, so
        // flushing to disk would only add stalls on a disk other people share.
        '-c',
        'fsync=off',
      ]),
      logFile: this.logFile,
    });
    this.#running = { process, lifetime: this.ledger.track(process) };
    await Promise.race([
      waitUntil(`postgres on port ${this.port}`, () => this.answers(), 30_000),
      process.exited.then((code) => {
        throw new Error(`postgres exited (${code}) while starting; log: ${this.logFile}`);
      }),
    ]);
  }

  /** The fault: fast shutdown (clients disconnected, nothing lost), then start again. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Fast shutdown through pg_ctl; waits for the postmaster to exit. */
  async stop(): Promise<void> {
    const running = this.#running;
    if (!running) return;
    this.#running = null;
    running.lifetime.expectedExit = '0';
    execFileSync(
      'runuser',
      asPostgres(join(this.bin, 'pg_ctl'), ['stop', '-D', this.dataDir, '-m', 'fast', '-w']),
      { stdio: 'pipe' },
    );
    await running.process.stop('SIGINT', 30_000);
  }

  private async answers(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  }
}
