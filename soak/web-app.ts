/**
 * The production web app for the soak's browsers: reuse `.next` when its BUILD_ID is newer
 * than every input (scripts/build-freshness.ts), otherwise `next build` first; then `next start`
 * with RELAY_URL pointing at the balancer.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { App } from '../e2e/support/app';
import { APP_DIR } from '../e2e/support/stack';
import { buildStaleness } from '../scripts/build-freshness';

export function ensureAppBuild(log: (line: string) => void): void {
  const reason = buildStaleness(APP_DIR);
  if (!reason) return;
  log(`building the app (${reason})…`);
  const result = spawnSync(
    process.execPath,
    [join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      cwd: APP_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

export function startWebApp(relayUrl: string, logFile: string): Promise<App> {
  return App.start({ cwd: APP_DIR, relayUrl, logFile });
}
