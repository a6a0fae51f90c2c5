/**
 * `npm run relay`, run for real in a copy of the relay's sources (so a stale bundle can be
 * staged without touching this checkout's dist/): it builds when stale, then execs node on the
 * bundle, which serves y-websocket clients, gets the arguments, signals and exit codes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, REPO_ROOT, tempDir, waitFor } from '../server/test/harness';
import { RELAY_BUNDLE, RELAY_NODE_ARGS } from './build-relay';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What `npm run relay` needs: package.json, the sources, the build script and node_modules. */
function relayCheckout(): string {
  const dir = tempDir('coedit-relay-command-');
  cleanups.push(dir.cleanup);
  for (const path of ['package.json', 'tsconfig.json', 'server', 'lib', 'scripts/build-relay.ts']) {
    cpSync(join(REPO_ROOT, path), join(dir.path, path), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir.path, 'node_modules'));
  return dir.path;
}

interface NpmRelay {
  readonly child: ChildProcess;
  readonly stdoutLines: string[];
  stderr(): string;
  readonly exited: Promise<number | string>;
}

/** `npm run --silent relay -- …args` (--silent: no npm banner on stdout), in its own group. */
function npmRunRelay(cwd: string, args: readonly string[]): NpmRelay {
  const child = spawn('npm', ['run', '--silent', 'relay', '--', ...args], {
    cwd,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stdoutLines: string[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) =>
    stdoutLines.push(line),
  );
  // 'close', not 'exit': every line of output has been read by then.
  const exited = new Promise<number | string>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  cleanups.push(() => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return { child, stdoutLines, stderr: () => stderr, exited };
}

async function listening(relay: NpmRelay): Promise<string> {
  let url: string | undefined;
  let gone: number | string | undefined;
  void relay.exited.then((code) => (gone = code));
  await waitFor(
    () => {
      url = relay.stdoutLines.map((line) => /^relay listening on (ws:\/\/\S+)$/.exec(line)?.[1])[0];
      if (gone !== undefined) throw new Error(`exited (${gone}) early:\n${relay.stderr()}`);
      return url !== undefined;
    },
    60_000,
    'the relay to listen',
  );
  return url as string;
}

/** Processes whose parent is `pid`, with their command lines (from /proc). */
function childrenOf(pid: number): string[][] {
  const children: string[][] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== pid) continue;
      children.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

describe('npm run relay', () => {
  it('runs the script that production uses: build if stale, then node on the bundle', () => {
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
    expect(scripts.relay).toBe(
      `tsx scripts/build-relay.ts --if-stale && exec node ${[...RELAY_NODE_ARGS, RELAY_BUNDLE].join(' ')}`,
    );
    expect(scripts['relay:dev']).toBe('tsx server/main.ts');
  });

  it('builds a stale bundle, then the bundle itself serves clients and stops on SIGTERM', async () => {
    const root = relayCheckout();
    const storage = ['--port', '0', '--storage', `sqlite:${join(root, 'data', 'relay.db')}`];
    const first = npmRunRelay(root, storage);
    const url = await listening(first);
    expect(first.stderr()).toContain('building the relay (no relay bundle yet)');
    expect(existsSync(join(root, RELAY_BUNDLE))).toBe(true);
    // exec: npm's child is the relay itself, no shell and no launcher in between.
    expect(childrenOf(first.child.pid as number)).toEqual([
      ['node', ...RELAY_NODE_ARGS, RELAY_BUNDLE, ...storage],
    ]);

    const alice = connectClient(url, 'command');
    const bob = connectClient(url, 'command');
    cleanups.push(
      () => alice.destroy(),
      () => bob.destroy(),
    );
    await Promise.all([alice.synced(), bob.synced()]);
    alice.text.insert(0, 'via npm run relay');
    await waitFor(() => bob.text.toString() === 'via npm run relay', 5000, 'bob to receive');
    alice.destroy();
    bob.destroy();
    first.child.kill('SIGTERM'); // npm forwards it to the relay
    expect(await first.exited).toBe(0);
    expect(first.stdoutLines).toEqual([`relay listening on ${url}`]);

    // Fresh now: no build. Ctrl-C reaches the relay twice (terminal and npm): still one clean stop.
    const second = npmRunRelay(root, storage);
    const again = await listening(second);
    expect(second.stderr()).not.toContain('building the relay');
    const carol = connectClient(again, 'command');
    cleanups.push(() => carol.destroy());
    await carol.synced();
    expect(carol.text.toString()).toBe('via npm run relay');
    carol.destroy();
    process.kill(-(second.child.pid as number), 'SIGINT');
    expect(await second.exited).toBe(0);
    expect(second.stderr()).not.toContain('second signal');
  }, 120_000);

  it('passes --help and the exit code of an invalid configuration through', async () => {
    const root = relayCheckout();
    const help = npmRunRelay(root, ['--help']);
    expect(await help.exited).toBe(0);
    expect(help.stdoutLines[0]).toBe('Usage: npm run relay -- [options]');

    const invalid = npmRunRelay(root, ['--port', 'nope']);
    expect(await invalid.exited).toBe(2);
    expect(invalid.stderr()).toMatch(/invalid configuration: --port/);
    expect(invalid.stdoutLines).toEqual([]);
  }, 120_000);
});
