import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/** How to start one server process and how to tell that it is ready. */
export interface ServerSpec {
  /** Shown in errors and log file names. */
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Every stdout/stderr line is appended here, so a failed run can be diagnosed afterwards. */
  readonly logFile: string;
  /**
   * Called with each stdout line until it returns a value: that value is the ready result.
   * Omit it to be ready as soon as the process has spawned (then use `waitUntil`).
   */
  readonly readyLine?: (line: string) => string | undefined;
  readonly startTimeoutMs?: number;
}

/** A started server: its ready result, and a way to stop it that waits for the exit. */
export interface ServerProcess {
  readonly label: string;
  readonly pid: number;
  /** What `readyLine` returned ('' when the spec had none). */
  readonly ready: string;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  readonly exited: Promise<number | string>;
  /** Send `signal`, wait for the exit, escalate to SIGKILL after `graceMs`. Idempotent. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

/**
 * Start a server in its own process group (so `stop` also ends any children it forks) and wait
 * until it reports ready. Rejects with the tail of its output when it exits or times out first.
 */
export async function startServer(spec: ServerSpec): Promise<ServerProcess> {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const log = createWriteStream(spec.logFile, { flags: 'a' });
  const tail: string[] = [];
  const record = (stream: string) => (line: string) => {
    log.write(`${new Date().toISOString()} ${stream} ${line}\n`);
    tail.push(line);
    if (tail.length > 30) tail.shift();
  };

  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (error) => {
      record('spawn-error')(String(error));
      resolve('spawn-error');
    });
  });
  void exited.then(() => log.end());
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', record('err'));
  const stdoutLines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  stdoutLines.on('line', record('out'));

  const ready = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { ready: string } | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stdoutLines.off('line', onLine);
      if ('ready' in outcome) return resolve(outcome.ready);
      killGroup(child, 'SIGKILL');
      reject(new Error(`${spec.label} ${outcome.error}. Log: ${spec.logFile}\n${tail.join('\n')}`));
    };
    const timeoutMs = spec.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => settle({ error: `not ready after ${timeoutMs} ms` }), timeoutMs);
    void exited.then((code) => settle({ error: `exited (${code}) before it was ready` }));
    const onLine = (line: string) => {
      const result = spec.readyLine?.(line);
      if (result !== undefined) settle({ ready: result });
    };
    if (spec.readyLine) stdoutLines.on('line', onLine);
    else child.once('spawn', () => settle({ ready: '' }));
  });

  let stopping: Promise<number | string> | undefined;
  return {
    label: spec.label,
    pid: child.pid ?? -1,
    ready,
    exited,
    stop(signal = 'SIGTERM', graceMs = 10_000) {
      stopping ??= (async () => {
        killGroup(child, signal);
        const escalate = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
        const code = await exited;
        clearTimeout(escalate);
        return code;
      })();
      return stopping;
    },
  };
}

/** Signal the whole process group we created (negative pid); ignore "already gone". */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Poll `probe` until it returns true; reject with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
