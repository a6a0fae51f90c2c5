import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './e2e/support/chromium';

/**
 * Multi-user end-to-end suite. The production app is built once (e2e/global-setup.ts); each
 * worker then runs its own relay (fresh sqlite file) and `next start` (see e2e/fixtures.ts).
 * Retries stay off: a flaky test is a bug to fix, not to retry.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Two workers keep both cores busy; more only adds contention (measured on a 2-core machine).
  workers: Number(process.env.E2E_WORKERS ?? 2),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  projects: [
    { name: 'app', testIgnore: /pathological\.spec\.ts/ },
    // Main-thread blocking is timed with nothing else running: after the rest, one at a time
    // (serial in the spec), so a long task measures our code, not other tests' CPU.
    // `--no-deps` runs it alone.
    { name: 'blocking', testMatch: /pathological\.spec\.ts/, dependencies: ['app'] },
  ],
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: CHROMIUM_EXECUTABLE,
      args: [...CHROMIUM_ARGS],
    },
    actionTimeout: 10_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
