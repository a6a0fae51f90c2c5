/**
 * Quick throughput check: updates/s through ONE room with 5 clients, against our relay
 * (sqlite and memory) and the reference @y/websocket-server, each as its own process.
 *
 *   npx tsx bench/quick-throughput.ts [--updates N] [--clients N]
 *     [--servers ours-sqlite,ours-memory,reference] [--cpu-prof DIR]
 *
 * Clients are raw `ws` sockets sending pre-encoded Yjs updates (encoding is done before the
 * clock starts, so the load generator stays cheap). Each client keeps a window of unacknowledged
 * updates in flight: it sends while fewer than WINDOW of its updates are still unseen by the
 * other clients. Reported: updates/s accepted, deliveries/s, and server CPU ms per 1,000
 * deliveries (from /proc, so Linux only). The reference server also echoes every update to its
 * sender; those echoes are not counted as deliveries.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { ensureRelayBundle, RELAY_NODE_ARGS } from '../scripts/build-relay';
import { readCpuMs } from './proc';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i] ?? '', process.argv[i + 1] ?? '');
const CLIENTS = Number(args.get('--clients') ?? 5);
const UPDATES_PER_CLIENT = Number(args.get('--updates') ?? 4000);
const SERVERS = (args.get('--servers') ?? 'ours-sqlite,ours-memory,reference').split(',');
/** Write a V8 CPU profile of our relay into this directory (flushed on SIGTERM). */
const CPU_PROF_DIR = args.get('--cpu-prof');
const WINDOW = 32;
const repoRoot = path.resolve(import.meta.dirname, '..');
/** Our relay as production runs it (built now if older than its sources). */
const RELAY_BUNDLE = await ensureRelayBundle(repoRoot, console.error);

function updateFrame(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

/** Per client: its Y client id and the frames of single-character inserts it will type. */
function prepareClients(): { clientId: number; frames: Uint8Array[] }[] {
  return Array.from({ length: CLIENTS }, () => {
    const doc = new Y.Doc();
    const frames: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => frames.push(updateFrame(u)));
    const text = doc.getText('body');
    for (let i = 0; i < UPDATES_PER_CLIENT; i++) text.insert(text.length, 'x');
    return { clientId: doc.clientID, frames };
  });
}

async function startServer(
  kind: string,
): Promise<{ child: ChildProcess; url: string; cleanup(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'coedit-quick-'));
  const child =
    kind === 'reference'
      ? spawn(process.execPath, ['node_modules/@y/websocket-server/src/server.js'], {
          cwd: repoRoot,
          env: {
            ...process.env,
            HOST: '127.0.0.1',
            PORT: String(40000 + Math.floor(Math.random() * 20000)),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
      : spawn(
          process.execPath,
          [
            ...(CPU_PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF_DIR] : []),
            ...RELAY_NODE_ARGS,
            RELAY_BUNDLE,
            '--port',
            '0',
            '--log-level',
            'warn',
            '--storage',
            kind === 'ours-sqlite' ? `sqlite:${path.join(dir, 'q.db')}` : 'memory',
          ],
          { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
        );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ours = /relay listening on (ws:\/\/\S+)/.exec(out);
      const ref = /running at '([^']+)' on port (\d+)/.exec(out);
      if (ours?.[1]) resolve(ours[1]);
      else if (ref) resolve(`ws://${ref[1]}:${ref[2]}`);
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited ${code}`)));
  });
  return { child, url, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Counts, per sending client, how many of its updates a socket has received. */
function senderOf(frame: Uint8Array, byClientId: Map<number, number>): number | undefined {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 2) return undefined;
  const u = decoding.createDecoder(decoding.readVarUint8Array(d));
  decoding.readVarUint(u); // number of clients in the update (1)
  decoding.readVarUint(u); // number of structs
  return byClientId.get(decoding.readVarUint(u));
}

async function run(kind: string, prepared: ReturnType<typeof prepareClients>) {
  const server = await startServer(kind);
  const room = `quick-${Date.now()}`;
  const byClientId = new Map(prepared.map((p, i) => [p.clientId, i]));
  const sockets = await Promise.all(
    prepared.map(
      () =>
        new Promise<WebSocket>((resolve) => {
          const ws = new WebSocket(`${server.url}/${room}`);
          ws.once('open', () => resolve(ws));
        }),
    ),
  );
  // seen[receiver][sender] = updates of `sender` that `receiver` got.
  const seen = prepared.map(() => prepared.map(() => 0));
  const sent = prepared.map(() => 0);
  let deliveries = 0;
  const total = CLIENTS * UPDATES_PER_CLIENT;
  let finish = () => {};
  const finished = new Promise<void>((r) => (finish = r));
  const pump = (i: number) => {
    const frames = prepared[i]?.frames ?? [];
    // In flight = sent minus the least any other client has seen of ours.
    let minSeen = Number.POSITIVE_INFINITY;
    for (let r = 0; r < CLIENTS; r++) if (r !== i) minSeen = Math.min(minSeen, seen[r]?.[i] ?? 0);
    while ((sent[i] ?? 0) < frames.length && (sent[i] ?? 0) - minSeen < WINDOW) {
      sockets[i]?.send(frames[sent[i] ?? 0] as Uint8Array);
      sent[i] = (sent[i] ?? 0) + 1;
    }
  };
  sockets.forEach((ws, r) => {
    ws.on('message', (data: Buffer) => {
      const s = senderOf(new Uint8Array(data), byClientId);
      if (s === undefined || s === r) return;
      const row = seen[r] as number[];
      row[s] = (row[s] ?? 0) + 1;
      deliveries++;
      pump(s);
      if (deliveries === total * (CLIENTS - 1)) finish();
    });
  });
  const pid = server.child.pid as number;
  const cpuBefore = readCpuMs(pid);
  const started = performance.now();
  for (let i = 0; i < CLIENTS; i++) pump(i);
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const cpu = readCpuMs(pid) - cpuBefore;
  for (const ws of sockets) ws.terminate();
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill(CPU_PROF_DIR ? 'SIGTERM' : 'SIGKILL');
  await exited;
  server.cleanup();
  return {
    server: kind,
    'updates/s': Math.round(total / seconds),
    'deliveries/s': Math.round(deliveries / seconds),
    'server CPU ms / 1k deliveries': Number(((cpu * 1000) / deliveries).toFixed(2)),
    'server CPU %': Math.round(cpu / 10 / seconds),
  };
}

const prepared = prepareClients();
const rows = [];
for (const kind of SERVERS) rows.push(await run(kind, prepared));
console.log(
  `${CLIENTS} clients, one room, ${UPDATES_PER_CLIENT} single-character updates each, window ${WINDOW}`,
);
console.table(rows);
