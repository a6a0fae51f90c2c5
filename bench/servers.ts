import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRelayBundle, RELAY_NODE_ARGS } from '../scripts/build-relay';

export type ServerName = 'ours-sqlite' | 'ours-memory' | 'reference';
export const SERVER_NAMES: readonly ServerName[] = ['ours-sqlite', 'ours-memory', 'reference'];

/** A server under test, running as its own process. */
export interface RunningServer {
  name: ServerName;
  pid: number;
  /** ws://host:port (rooms are appended as the path). */
  url: string;
  stop(): Promise<void>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY_TIMEOUT_MS = 20_000;

/**
 * Our relay as benchmarked: quiet logs, and no per-socket rate limits (the reference has none,
 * and S5 replays above the default 10,000 frames/s, where the relay would throttle it).
 */
const RELAY_ENV = {
  LOG_LEVEL: 'warn',
  RELAY_MAX_MESSAGES_PER_SECOND: '0',
  RELAY_MAX_BYTES_PER_SECOND: '0',
};

let relayBundle: Promise<string> | undefined;

/**
 * Our relay as production runs it: the dist/relay.mjs bundle, built at the first start of a run if
 * missing or older than its sources (and not again during the run).
 */
function bundle(): Promise<string> {
  relayBundle ??= ensureRelayBundle(repoRoot, (message) => process.stderr.write(`${message}\n`));
  return relayBundle;
}

/** Every server child still alive, so that an abort can kill them all. */
const live = new Set<ChildProcess>();

/** Kills every server this process started and has not stopped (for error paths and exit). */
export function killAllServers(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

export interface StartOptions {
  /** Write a V8 CPU profile of our relay here (it is flushed on a graceful SIGTERM exit). */
  cpuProfDir?: string;
}

/** Starts one server and resolves when it accepts connections. */
export async function startServer(
  name: ServerName,
  options: StartOptions = {},
): Promise<RunningServer> {
  const profile = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
  if (name === 'reference') return startReference(profile);
  const entry = await bundle();
  const dir = mkdtempSync(path.join(tmpdir(), 'coedit-bench-'));
  const storage = name === 'ours-sqlite' ? `sqlite:${path.join(dir, 'bench.db')}` : 'memory';
  const child = spawn(
    process.execPath,
    [
      ...profile,
      ...RELAY_NODE_ARGS,
      entry,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--storage',
      storage,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...RELAY_ENV },
    },
  );
  const url = await waitForLine(child, name, /relay listening on (ws:\/\/\S+)/);
  const graceful = profile.length > 0;
  return running(name, child, url, () => rmSync(dir, { recursive: true, force: true }), graceful);
}

/** @y/websocket-server 0.1.1 as shipped: in-memory documents, no persistence configured. */
async function startReference(profile: string[]): Promise<RunningServer> {
  const port = await freePort();
  // A profile is written at exit; the reference has no SIGTERM handler, so add one that exits.
  const exitOnTerm = profile.length
    ? ['--import', 'data:text/javascript,process.on("SIGTERM",()=>process.exit(0))']
    : [];
  const args = [...profile, ...exitOnTerm, 'node_modules/@y/websocket-server/src/server.js'];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
  });
  // It logs the configured port once listening (so port 0 would be printed as 0: pick one here).
  await waitForLine(child, 'reference', /running at/);
  return running('reference', child, `ws://127.0.0.1:${port}`, () => {}, profile.length > 0);
}

const GRACEFUL_STOP_MS = 15_000;

function running(
  name: ServerName,
  child: ChildProcess,
  url: string,
  cleanup: () => void,
  graceful = false,
): RunningServer {
  return {
    name,
    pid: child.pid as number,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        // Results are read already, so a graceful flush is only worth waiting for when profiling.
        child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceful ? GRACEFUL_STOP_MS : 0);
        await gone;
        clearTimeout(timer);
      }
      live.delete(child);
      cleanup();
    },
  };
}

/** Waits for a stdout line matching `pattern`; returns its first group (or the line). */
function waitForLine(child: ChildProcess, name: string, pattern: RegExp): Promise<string> {
  live.add(child);
  let stderr = '';
  // Keep draining both pipes for the whole life of the process: a full pipe would block it.
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    // BENCH_SERVER_STDERR=1 shows the servers' own warnings (our relay runs at LOG_LEVEL=warn).
    if (process.env.BENCH_SERVER_STDERR === '1') process.stderr.write(`[${name}] ${chunk}`);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let ready = false;
    const onExit = (code: number | null) => fail(`exited with ${code} before it was ready`);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      live.delete(child);
      reject(new Error(`${name}: ${why}\n${stderr}`));
    };
    const timer = setTimeout(
      () => fail(`not ready within ${READY_TIMEOUT_MS} ms`),
      READY_TIMEOUT_MS,
    );
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready) return;
      stdout += chunk.toString();
      const match = pattern.exec(stdout);
      if (!match) return;
      ready = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(match[1] ?? match[0]);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      );
    });
  });
}
