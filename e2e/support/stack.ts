import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from './app';
import { NetworkLink } from './network-link';
import { Relay } from './relay';

/** Repository root (this file lives in e2e/support/). */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The Next.js project to build and serve. Defaults to this repository; `E2E_APP_DIR` points at
 * a snapshot instead (useful while someone else rebuilds `.next/` in the working tree).
 */
export const APP_DIR = process.env.E2E_APP_DIR ? resolve(process.env.E2E_APP_DIR) : REPO_ROOT;

/** Server logs of a run land here (inside Playwright's output dir, kept for failed runs). */
const LOG_DIR = join(REPO_ROOT, 'test-results', 'server-logs');

/**
 * Everything a browser needs for one test world: a relay with a fresh sqlite file, a network link
 * in front of it (so a user can be taken offline), and `next start` pointed at the link.
 */
export class Stack {
  private constructor(
    readonly relay: Relay,
    readonly link: NetworkLink,
    readonly app: App,
    private readonly tempDir: string,
  ) {}

  /**
   * `name` tells the log files of parallel stacks apart (e.g. `w0`, `w1-restart`); `relayArgs`
   * are extra relay flags (a secret, Redis); `appEnv` is extra environment for the app.
   */
  static async start(
    name: string,
    relayArgs: readonly string[] = [],
    appEnv: Readonly<Record<string, string>> = {},
  ): Promise<Stack> {
    const tempDir = mkdtempSync(join(tmpdir(), `coedit-e2e-${name}-`));
    const relay = await Relay.start({
      cwd: REPO_ROOT,
      dbFile: join(tempDir, 'relay.db'),
      logFile: join(LOG_DIR, `${name}-relay.log`),
      extraArgs: relayArgs,
      label: `relay-${name}`,
    });
    let link: NetworkLink | undefined;
    try {
      link = await NetworkLink.start(() => ({ host: '127.0.0.1', port: relay.port }));
      const app = await App.start({
        cwd: APP_DIR,
        relayUrl: link.url,
        env: appEnv,
        logFile: join(LOG_DIR, `${name}-app.log`),
      });
      return new Stack(relay, link, app, tempDir);
    } catch (error) {
      await link?.close();
      await relay.stop('SIGKILL');
      rmSync(tempDir, { recursive: true, force: true });
      throw error;
    }
  }

  get appUrl(): string {
    return this.app.url;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.app.stop(), this.relay.stop('SIGTERM'), this.link.close()]);
    rmSync(this.tempDir, { recursive: true, force: true });
  }
}
