/**
 * `npm run build:relay`: bundle the relay (`server/main.ts` and what it imports from server/ and
 * lib/) into plain JavaScript, `dist/relay.mjs`, so that production and benchmarks run
 * `node dist/relay.mjs` without the tsx loader (its hooks cost ~30 MB RSS and a loader thread).
 * Packages in node_modules stay imports (better-sqlite3 is native). The storage backends' lazy
 * `await import()`s become chunks in dist/chunks/, so `--storage memory` still loads neither pg nor
 * better-sqlite3 (one file would hoist them to static imports). A linked source map points stack
 * traces at the .ts sources when node runs with --enable-source-maps.
 *
 * `--if-stale` builds only when the bundle is older than its sources, with progress on stderr:
 * `npm run relay` runs that, then execs node on the bundle (so stdout is the relay's alone).
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const defaultRoot = fileURLToPath(new URL('..', import.meta.url));

/** The bundle, relative to the repository root. */
export const RELAY_BUNDLE = join('dist', 'relay.mjs');

/**
 * How production and benchmarks run the bundle: `node ...RELAY_NODE_ARGS dist/relay.mjs` (the
 * `relay` script in package.json spells the same command out). Source maps put .ts files and lines
 * in stack traces; node parses every map at load, yjs's 0.5 MB one included (measured: ~2.5 MB RSS
 * idle; ~4.5 MB when our map also carried the sources).
 */
export const RELAY_NODE_ARGS = ['--enable-source-maps'];

/** Inputs of the bundle: the relay's sources, and this script (its build options). */
const RELAY_INPUTS = ['server', 'lib', 'scripts/build-relay.ts'];

/** Not part of the relay: unit tests, test fixtures and the test harness. */
function excluded(path: string): boolean {
  return (
    path.endsWith('.test.ts') ||
    path.includes('.fixture.') ||
    basename(path) === 'fixtures' ||
    path.endsWith(join('server', 'test'))
  );
}

function newestMtime(path: string): number {
  if (excluded(path)) return 0;
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why `dist/relay.mjs` needs rebuilding, or null when it is newer than every input. */
export function relayBundleStaleness(root = defaultRoot): string | null {
  let built: number;
  try {
    built = statSync(join(root, RELAY_BUNDLE)).mtimeMs;
  } catch {
    return 'no relay bundle yet';
  }
  for (const input of RELAY_INPUTS) {
    if (newestMtime(join(root, input)) > built) return `${input} changed since the last build`;
  }
  return null;
}

/**
 * Bundle the relay into `dist/relay.mjs` and `dist/chunks/` (+ `.map`s); returns the bundle's
 * absolute path.
 */
export async function buildRelay(root = defaultRoot): Promise<string> {
  const outdir = join(root, 'dist');
  const outfile = join(root, RELAY_BUNDLE);
  const result = await build({
    absWorkingDir: root,
    entryPoints: { relay: 'server/main.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    // Stack traces need only the mappings; the sources are in the repository (~2 MB RSS less).
    sourcesContent: false,
    minify: false,
    logLevel: 'warning',
    write: false,
  });
  // Write each file next to its final name, then rename, chunks (content-hashed names) before the
  // entry: a relay starting meanwhile (or a second build) never sees a half-written bundle.
  const files = [...result.outputFiles].sort(
    (a, b) => Number(a.path.startsWith(outfile)) - Number(b.path.startsWith(outfile)),
  );
  for (const file of files) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  // Chunks of earlier builds.
  const written = new Set(files.map((file) => file.path));
  const chunks = join(outdir, 'chunks');
  for (const entry of readdirSync(chunks)) {
    // A build running alongside (relays started together) still has to rename its `.tmp` files.
    if (entry.endsWith('.tmp')) continue;
    if (!written.has(join(chunks, entry))) rmSync(join(chunks, entry), { force: true });
  }
  return outfile;
}

/** Build the bundle when it is missing or older than its sources; returns its absolute path. */
export async function ensureRelayBundle(
  root = defaultRoot,
  log: (message: string) => void = () => {},
): Promise<string> {
  const reason = relayBundleStaleness(root);
  if (!reason) return join(root, RELAY_BUNDLE);
  log(`building the relay (${reason})…`);
  return buildRelay(root);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes('--if-stale')) {
    await ensureRelayBundle(defaultRoot, (message) => process.stderr.write(`${message}\n`));
  } else {
    const started = performance.now();
    const outfile = await buildRelay();
    console.log(`built ${outfile} in ${Math.round(performance.now() - started)} ms`);
  }
}
