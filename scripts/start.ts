/**
 * `npm start`: build the app and the relay bundle if needed, then run the production app
 * (`next start`) and the relay (`node dist/relay.mjs`) together; `npm run dev` (`--dev`) runs
 * `next dev` and the relay's sources through tsx instead. Output is prefixed per process;
 * Ctrl-C / SIGTERM stops both; if either exits, the other is stopped and we exit too.
 *
 * Env: PORT (app, default 3000), RELAY_PORT / RELAY_HOST / RELAY_STORAGE … (relay, see its
 * --help), RELAY_URL (what browsers connect to; default ws(s)://<page host>:RELAY_PORT).
 * COEDIT_SECRET signs share links; when unset, a secret is created once in ./data/secret and
 * kept, so the default setup is protected and links survive restarts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildStaleness } from './build-freshness';
import { ensureRelayBundle, RELAY_NODE_ARGS } from './build-relay';
import { ensureSecretFile } from './secret';

const root = fileURLToPath(new URL('..', import.meta.url));
const dev = process.argv.includes('--dev');
const nextBin = fileURLToPath(new URL('../node_modules/next/dist/bin/next', import.meta.url));
const STOP_GRACE_MS = 10_000;

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

function log(message: string): void {
  console.log(`${paint(90, '[start]')} ${message}`);
}

function pipeLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream) {
  if (!stream) return;
  createInterface({ input: stream }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

/** Spawn in its own process group, so a signal reaches it (and its children) exactly once. */
function run(name: string, color: number, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const prefix = paint(color, `[${name}]`.padEnd(8));
  pipeLines(child.stdout, prefix, process.stdout);
  pipeLines(child.stderr, prefix, process.stderr);
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function buildIfNeeded(): Promise<void> {
  const reason = buildStaleness(root);
  if (!reason) return;
  log(`building the app (${reason})…`);
  const code = await exited(run('build', 35, [nextBin, 'build'], process.env));
  if (code !== 0) {
    log(`build failed (exit ${code})`);
    process.exit(code);
  }
}

/** The configured secret, else the one kept in ./data/secret (created on first run). */
function shareSecret(): string {
  if (process.env.COEDIT_SECRET) return process.env.COEDIT_SECRET;
  const path = fileURLToPath(new URL('../data/secret', import.meta.url));
  const { secret, created } = ensureSecretFile(path);
  if (created) log(`created a share-link secret in ${path} (keep it private)`);
  return secret;
}

async function main(): Promise<void> {
  const relayArgs = dev
    ? ['--import', 'tsx', 'server/main.ts']
    : [...RELAY_NODE_ARGS, await ensureRelayBundle(root, log)];
  if (!dev) await buildIfNeeded();
  const port = process.env.PORT ?? '3000';
  const relayPort = process.env.RELAY_PORT ?? '1234';
  const env = { ...process.env, RELAY_PORT: relayPort, COEDIT_SECRET: shareSecret() };

  const children = [
    run('web', 36, [nextBin, dev ? 'dev' : 'start', '--port', port], env),
    run('relay', 33, relayArgs, env),
  ];
  log(`app on http://localhost:${port}, relay on port ${relayPort}${dev ? ' (dev mode)' : ''}`);

  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) signalGroup(child, signal);
    setTimeout(() => {
      for (const child of children) signalGroup(child, 'SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping…`);
      stopAll('SIGTERM');
    });
  }

  const first = await Promise.race(
    children.map((child, index) => exited(child).then((code) => ({ index, code }))),
  );
  const wasStopping = stopping;
  if (!wasStopping) log(`${first.index === 0 ? 'web' : 'relay'} exited (${first.code}); stopping`);
  stopAll('SIGTERM');
  await Promise.all(children.map(exited));
  process.exit(wasStopping ? 0 : first.code || 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
