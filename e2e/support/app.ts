import { createServer } from 'node:net';
import { join } from 'node:path';
import { type ServerProcess, startServer, waitUntil } from './process';

export interface AppOptions {
  /** Where browsers reach the relay (read by the app at request time). */
  readonly relayUrl: string;
  readonly logFile: string;
  /** Repository root holding the production build in `.next/`. */
  readonly cwd: string;
  /** More environment for `next start` (e.g. `COEDIT_SECRET`, so "New document" mints a link). */
  readonly env?: Readonly<Record<string, string>>;
}

/** The production Next.js app (`next start` of an existing build) on a free port. */
export class App {
  private constructor(
    private readonly process: ServerProcess,
    readonly url: string,
  ) {}

  static async start({ relayUrl, logFile, cwd, env = {} }: AppOptions): Promise<App> {
    const port = await freePort();
    const running = await startServer({
      label: 'app',
      command: process.execPath,
      args: [
        join(cwd, 'node_modules', 'next', 'dist', 'bin', 'next'),
        'start',
        '--port',
        String(port),
        '--hostname',
        '127.0.0.1',
      ],
      cwd,
      env: { ...env, RELAY_URL: relayUrl, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      logFile,
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await Promise.race([
        waitUntil(
          `the app to answer on ${url}`,
          async () => (await fetch(`${url}/`, { signal: AbortSignal.timeout(5_000) })).ok,
          60_000,
        ),
        running.exited.then((code) => {
          throw new Error(`app exited (${code}) before it answered`);
        }),
      ]);
    } catch (error) {
      await running.stop('SIGKILL');
      throw new Error(`${String(error)} (log: ${logFile})`);
    }
    return new App(running, url);
  }

  /** Resolves with the exit code (or signal) once `next start` is gone, however it ended. */
  get exited(): Promise<number | string> {
    return this.process.exited;
  }

  stop(): Promise<number | string> {
    return this.process.stop('SIGTERM', 5_000);
  }
}

/**
 * A port nobody listens on right now. `next start` cannot take port 0 and report the one it got,
 * so we ask the OS and hand the number over; the tiny reuse window is harmless on a test machine.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
