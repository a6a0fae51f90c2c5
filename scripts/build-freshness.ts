import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Inputs of the Next.js build. A build is stale when any of them changed after `.next/BUILD_ID`
 * was written (mtime comparison: simple, and good enough for "did I edit the app since").
 * Unit tests (`*.test.ts`) are not inputs.
 */
export const BUILD_INPUTS = [
  'app',
  'lib',
  'public',
  'next.config.js',
  'proxy.ts',
  'package-lock.json',
  'tsconfig.json',
];

function newestMtime(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0; // a missing input (e.g. no public/) does not make the build stale
  }
  if (!stat.isDirectory()) return path.endsWith('.test.ts') ? 0 : stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why `root` needs a production build, or null when `.next/BUILD_ID` is newer than every input. */
export function buildStaleness(root: string): string | null {
  let built: number;
  try {
    built = statSync(join(root, '.next', 'BUILD_ID')).mtimeMs;
  } catch {
    return 'no production build yet';
  }
  for (const input of BUILD_INPUTS) {
    if (newestMtime(join(root, input)) > built) return `${input} changed since the last build`;
  }
  return null;
}
