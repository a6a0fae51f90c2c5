import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_DIR } from './support/stack';

/**
 * Build the production app once per run; each worker then serves that build with `next start`.
 * Locally `E2E_SKIP_BUILD=1` reuses an existing `.next/` build (CI always builds).
 */
export default function globalSetup(): void {
  const haveBuild = existsSync(join(APP_DIR, '.next', 'BUILD_ID'));
  if (process.env.E2E_SKIP_BUILD === '1' && !process.env.CI) {
    if (!haveBuild) throw new Error('E2E_SKIP_BUILD=1 but there is no .next/BUILD_ID: build first');
    console.log('e2e: reusing the existing .next build (E2E_SKIP_BUILD=1)');
    return;
  }
  console.log('e2e: building the app (next build)…');
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    {
      cwd: APP_DIR,
      stdio: 'inherit',
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
  console.log(`e2e: build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
