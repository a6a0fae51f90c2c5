/**
 * `npm run bench:preview`: the markdown preview's latency in real Chromium on the production
 * app, on the automerge-paper document (~104,800 characters, ~650 formulas).
 *
 * 1. Change → preview painted. The document is the trace as it stood a few hundred keystrokes
 *    before its end. The typist replays the next keystrokes with real keyboard events (the caret
 *    is put at the trace's position first); then a second client (a y-websocket client in this
 *    process, through the relay) replays the following ones. Each change waits for the frame to
 *    report the paint of a render that includes it, then typing goes on at a typist's pace.
 *    Local: the keystroke's event → the frame's `painted` message, both on the page's clock.
 *    Remote: the remote client's change → the same message, across processes on one clock
 *    (epoch milliseconds; the page's offset is estimated from the fastest of several probes).
 * 2. Keystroke → the editor's next paint, with the preview shown (Split) and hidden (Edit),
 *    alternating blocks of keystrokes so machine load falls on both alike.
 *
 * Flags: --local N --remote N --keys N (per mode) --skip-build --json FILE
 *        --trace DIR: a Chromium trace of the first Edit and first Split key-to-paint blocks,
 *        summarized per process and thread (trace-summary.ts)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from '../../e2e/support/chromium';
import { APP_DIR, REPO_ROOT, Stack } from '../../e2e/support/stack';
import { generateRoomId } from '../../lib/room-id';
import { connectClient, whenSynced } from '../loadgen-client';
import { type Summary, summarize } from '../stats';
import { installPreviewProbe } from './page-probe';
import { type Keystroke, traceTail } from './trace-edits';
import { summarizeTrace, TRACE_CATEGORIES } from './trace-summary';

interface Options {
  local: number;
  remote: number;
  keys: number;
  skipBuild: boolean;
  json: string | null;
  trace: string | null;
}

const log = (message: string) => process.stderr.write(`${message}\n`);

/** A typist's pace: the next keystroke comes no sooner than this after the previous one. */
const KEY_INTERVAL_MS = 100;
/** Keystrokes per mode block in the key-to-paint comparison. */
const KEY_BLOCK = 50;
const WAIT_MS = 30_000;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    local: 300,
    remote: 300,
    keys: 300,
    skipBuild: false,
    json: null,
    trace: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const count = () => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a count`);
      return value;
    };
    if (flag === '--local') options.local = count();
    else if (flag === '--remote') options.remote = count();
    else if (flag === '--keys') options.keys = count();
    else if (flag === '--skip-build') options.skipBuild = true;
    else if (flag === '--json') options.json = argv[++i] ?? null;
    else if (flag === '--trace') options.trace = argv[++i] ?? null;
    else throw new Error(`unknown flag ${flag}`);
  }
  return options;
}

function buildApp(): void {
  log('bench:preview: next build…');
  const result = spawnSync(
    process.execPath,
    [join(APP_DIR, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'],
    { cwd: APP_DIR, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
  );
  if (result.status !== 0) throw new Error(`next build failed (exit ${result.status})`);
}

/** The highest render seq the frame has reported painted. */
function lastPaintedSeq(page: Page): Promise<number> {
  return page.evaluate(() => window.__previewProbe?.painted.at(-1)?.seq ?? 0);
}

/** Waits for the frame to paint a render newer than `afterSeq`; its arrival time in the page. */
async function waitForPaint(page: Page, afterSeq: number): Promise<{ seq: number; at: number }> {
  const handle = await page.waitForFunction(
    (after) => window.__previewProbe?.painted.find((p) => p.seq > after) ?? null,
    afterSeq,
    { timeout: WAIT_MS, polling: 'raf' },
  );
  return (await handle.jsonValue()) as { seq: number; at: number };
}

/** Waits until the preview has painted the whole current text (after a load or a mode switch). */
async function waitForPreviewSettled(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => {
        const frame = document.querySelector<HTMLElement>('[data-testid="preview-frame"]');
        const painted = window.__previewProbe?.painted.at(-1);
        return !!frame && !!painted && frame.dataset.renderedSeq === String(painted.seq);
      },
      null,
      { timeout: 120_000, polling: 200 },
    )
    .catch(async (error: unknown) => {
      const state = await page.evaluate(() => ({
        frame: { ...document.querySelector<HTMLElement>('[data-testid="preview-frame"]')?.dataset },
        painted: window.__previewProbe?.painted.slice(-3),
      }));
      throw new Error(`the preview did not settle: ${JSON.stringify(state)}`, { cause: error });
    });
}

async function setMode(page: Page, mode: 'Split' | 'Edit'): Promise<void> {
  await page.getByTestId('mode-switch').getByRole('radio', { name: mode, exact: true }).check();
  if (mode === 'Split') await waitForPreviewSettled(page);
}

/** Puts the caret at `pos` (through CodeMirror's own view; the keystrokes themselves are real). */
async function placeCaret(page: Page, pos: number): Promise<void> {
  await page.evaluate((at) => {
    const content = document.querySelector('.cm-content') as
      | (Element & { cmTile?: { root?: { view?: unknown } } })
      | null;
    const view = content?.cmTile?.root?.view as
      | {
          state: { doc: { length: number } };
          dispatch(spec: { selection: { anchor: number } }): void;
          focus(): void;
        }
      | undefined;
    if (!view) throw new Error('no CodeMirror view on .cm-content');
    view.focus();
    view.dispatch({ selection: { anchor: Math.min(at, view.state.doc.length) } });
  }, pos);
}

/** Replays one keystroke with real input: Backspace for deletions, keys or text for insertions. */
async function pressKeystroke(page: Page, stroke: Keystroke): Promise<void> {
  await placeCaret(page, stroke.pos + stroke.del);
  await page.evaluate(() => {
    if (window.__previewProbe) window.__previewProbe.armed = true;
  });
  for (let i = 0; i < stroke.del; i++) await page.keyboard.press('Backspace');
  for (const char of stroke.insert) {
    // Enter would auto-indent or continue a list; a newline typed as text stays the trace's.
    if (char === '\n') await page.keyboard.insertText('\n');
    else await page.keyboard.type(char);
  }
}

async function paceFrom(started: number): Promise<void> {
  const left = KEY_INTERVAL_MS - (performance.now() - started);
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
}

/** The worker's share of each measured render, and why it rendered everything when it did. */
interface WorkerStats {
  readonly ms: number[];
  /** The page's own change → frame applied ('rendered' arrived) figure, per render. */
  readonly appliedMs: number[];
  readonly fullRenders: Record<string, number>;
}

async function recordWorker(page: Page, stats: WorkerStats): Promise<void> {
  const { ms, applied, full } = await page.evaluate(() => {
    const frame = document.querySelector<HTMLElement>('[data-testid="preview-frame"]');
    return {
      ms: Number(frame?.dataset.workerMs),
      applied: Number(frame?.dataset.renderMs),
      full: frame?.dataset.workerFullRender ?? '',
    };
  });
  stats.ms.push(ms);
  stats.appliedMs.push(applied);
  if (full) stats.fullRenders[full] = (stats.fullRenders[full] ?? 0) + 1;
}

async function measureLocal(
  page: Page,
  strokes: readonly Keystroke[],
  worker: WorkerStats,
): Promise<number[]> {
  const samples: number[] = [];
  for (const stroke of strokes) {
    const started = performance.now();
    const before = await lastPaintedSeq(page);
    await pressKeystroke(page, stroke);
    const painted = await waitForPaint(page, before);
    const keyAt = await page.evaluate(() => window.__previewProbe?.keyAt ?? Number.NaN);
    samples.push(painted.at - keyAt);
    await recordWorker(page, worker);
    await paceFrom(started);
  }
  return samples;
}

/** Offset of the page's epoch clock from ours (page − ours), from the tightest of 20 probes. */
async function pageClockOffset(page: Page): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const sent = performance.timeOrigin + performance.now();
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const received = performance.timeOrigin + performance.now();
    if (received - sent < best.rtt) {
      best = { rtt: received - sent, offset: pageNow - (sent + received) / 2 };
    }
  }
  log(
    `bench:preview: page clock offset ${best.offset.toFixed(2)} ms (±${(best.rtt / 2).toFixed(2)})`,
  );
  return best.offset;
}

async function measureRemote(
  page: Page,
  remote: ReturnType<typeof connectClient>,
  strokes: readonly Keystroke[],
  worker: WorkerStats,
): Promise<number[]> {
  const samples: number[] = [];
  const pageTimeOrigin = await page.evaluate(() => performance.timeOrigin);
  let offset = await pageClockOffset(page);
  for (const [index, stroke] of strokes.entries()) {
    if (index > 0 && index % 100 === 0) offset = await pageClockOffset(page);
    const started = performance.now();
    const before = await lastPaintedSeq(page);
    const sentAt = performance.timeOrigin + performance.now();
    remote.doc.transact(() => {
      if (stroke.del) remote.text.delete(stroke.pos, stroke.del);
      if (stroke.insert) remote.text.insert(stroke.pos, stroke.insert);
    });
    const painted = await waitForPaint(page, before);
    samples.push(pageTimeOrigin + painted.at - offset - sentAt);
    await recordWorker(page, worker);
    await paceFrom(started);
  }
  return samples;
}

/** Keystroke → editor paint, alternating Edit and Split blocks of {@link KEY_BLOCK} keys. */
async function measureKeyToPaint(
  page: Page,
  strokes: readonly Keystroke[],
  perMode: number,
  traceDir: string | null,
): Promise<{ previewOff: number[]; previewOn: number[] }> {
  const result = { previewOff: [] as number[], previewOn: [] as number[] };
  let next = 0;
  for (let block = 0; block * KEY_BLOCK < perMode * 2; block++) {
    const previewOn = block % 2 === 1;
    await setMode(page, previewOn ? 'Split' : 'Edit');
    const traced = traceDir !== null && block < 2;
    if (traced)
      await page.context().browser()?.startTracing(undefined, { categories: TRACE_CATEGORIES });
    const before = await page.evaluate(() => window.__previewProbe?.keyToPaint.length ?? 0);
    for (let i = 0; i < KEY_BLOCK && next < strokes.length; i++) {
      const started = performance.now();
      const stroke = strokes[next++] as Keystroke;
      await pressKeystroke(page, stroke);
      await page.waitForFunction(
        (n) => (window.__previewProbe?.keyToPaint.length ?? 0) > n,
        before + i,
        {
          timeout: WAIT_MS,
        },
      );
      await paceFrom(started);
    }
    if (traced && traceDir) {
      const trace = await page.context().browser()?.stopTracing();
      const file = join(traceDir, `key-to-paint-${previewOn ? 'split' : 'edit'}.json`);
      if (trace) writeFileSync(file, trace);
      log(`bench:preview: trace of ${KEY_BLOCK} keystrokes in ${file}`);
      log(summarizeTrace(JSON.parse(String(trace)), KEY_BLOCK));
    }
    const samples = await page.evaluate(
      (n) => window.__previewProbe?.keyToPaint.slice(n) ?? [],
      before,
    );
    (previewOn ? result.previewOn : result.previewOff).push(...samples);
  }
  return result;
}

function row(name: string, s: Summary): string {
  const f = (v: number) => v.toFixed(1).padStart(8);
  return `${name.padEnd(34)} ${String(s.n).padStart(5)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options.skipBuild || !existsSync(join(APP_DIR, '.next', 'BUILD_ID'))) buildApp();
  // Keystrokes typed one per key-to-paint sample come after those of the change measurements.
  const keyStrokes = options.keys * 2;
  const tail = traceTail('automerge-paper', options.local + options.remote + keyStrokes);
  const local = tail.keystrokes.slice(0, options.local);
  const remoteStrokes = tail.keystrokes.slice(options.local, options.local + options.remote);
  const typed = tail.keystrokes.slice(options.local + options.remote);
  log(`bench:preview: document of ${tail.startText.length} characters`);

  const loadBefore = os.loadavg();
  const stack = await Stack.start('bench-preview');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_EXECUTABLE,
    args: [...CHROMIUM_ARGS],
  });
  const room = generateRoomId();
  const remote = connectClient(stack.relay.url, room);
  try {
    await whenSynced(remote, WAIT_MS);
    remote.text.insert(0, tail.startText);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(installPreviewProbe);
    const page = await context.newPage();
    await page.goto(`${stack.appUrl}/d/${room}`);
    await page.waitForFunction(
      (length) => window.__coeditText?.().length === length,
      tail.startText.length,
      { timeout: 120_000, polling: 200 },
    );
    await setMode(page, 'Split');
    log('bench:preview: preview shows the document; typing locally…');

    const worker: WorkerStats = { ms: [], appliedMs: [], fullRenders: {} };
    const localMs = await measureLocal(page, local, worker);
    log('bench:preview: remote changes…');
    const remoteMs = await measureRemote(page, remote, remoteStrokes, worker);
    log('bench:preview: key-to-paint, preview off and on…');
    if (options.trace) mkdirSync(options.trace, { recursive: true });
    const keys = await measureKeyToPaint(page, typed, options.keys, options.trace);

    const loadAfter = os.loadavg();
    const results = {
      date: new Date().toISOString(),
      cpus: os.availableParallelism(),
      loadavg: { before: loadBefore, after: loadAfter },
      documentChars: tail.startText.length,
      changeToPreviewPaint: { local: summarize(localMs), remote: summarize(remoteMs) },
      keyToPaint: { previewOff: summarize(keys.previewOff), previewOn: summarize(keys.previewOn) },
      workerRender: summarize(worker.ms),
      changeToFrameApplied: summarize(worker.appliedMs),
      workerFullRenders: worker.fullRenders,
    };
    console.log(`\nMarkdown preview, automerge-paper (${tail.startText.length} chars), ms`);
    console.log(
      `${'measure'.padEnd(34)} ${'n'.padStart(5)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
    );
    console.log(row('change → preview painted, local', results.changeToPreviewPaint.local));
    console.log(row('change → preview painted, remote', results.changeToPreviewPaint.remote));
    console.log(row('  change → frame applied (page)', results.changeToFrameApplied));
    console.log(row('  worker render', results.workerRender));
    console.log(`  whole-document renders: ${JSON.stringify(worker.fullRenders)}`);
    console.log(row('key → editor painted, preview off', results.keyToPaint.previewOff));
    console.log(row('key → editor painted, preview on', results.keyToPaint.previewOn));
    const fmt = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
    console.log(`load average before ${fmt(loadBefore)}, after ${fmt(loadAfter)}`);
    const file =
      options.json ??
      join(REPO_ROOT, 'bench', 'results', `preview-${results.date.replace(/[:.]/g, '-')}.json`);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(
      file,
      `${JSON.stringify({ ...results, samples: { localMs, remoteMs, keys, workerMs: worker.ms } }, null, 1)}\n`,
    );
    log(`bench:preview: results in ${file}`);
  } finally {
    remote.provider.destroy();
    await browser.close();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
