/**
 * Starts everything a soak run needs, registering each part's teardown as it goes: private
 * PostgreSQL and Redis, two relay instances (production bundle) on them, the balancer, the web
 * app, the client workers with 200 typists over 40 rooms, and two Chromium users.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../e2e/support/app';
import { REPO_ROOT } from '../e2e/support/stack';
import { generateRoomId } from '../lib/room-id';
import { ensureRelayBundle } from '../scripts/build-relay';
import { Balancer } from './balancer';
import { BrowserUsers, browserTags } from './browser-users';
import type { Cleanup } from './cleanup';
import { PrivatePostgres } from './private-postgres';
import { PrivateRedis } from './private-redis';
import { ProcessLedger } from './process-ledger';
import { RelayInstance } from './relay-instance';
import { ensureAppBuild, startWebApp } from './web-app';
import { ClientWorker } from './worker-pool';
import type { TypistSpec } from './worker-protocol';

export const LOAD = {
  typists: 200,
  rooms: 40,
  typistWorkers: 2,
  browsers: 2,
} as const;

export interface World {
  readonly logDir: string;
  readonly ledger: ProcessLedger;
  readonly postgres: PrivatePostgres;
  readonly redis: PrivateRedis;
  readonly relays: readonly RelayInstance[];
  readonly balancer: Balancer;
  readonly app: App;
  /** The typists' rooms. */
  readonly rooms: readonly string[];
  readonly typistWorkers: readonly ClientWorker[];
  /** Runs the flooder and the slow consumer. */
  readonly chaosWorker: ClientWorker;
  readonly browsers: BrowserUsers;
  /** The room the browsers edit (with five typists). */
  readonly browserRoom: string;
}

/**
 * Typist i is in room i mod 40; the five typists of a room (slots 0–4) alternate between the
 * two instances, and acks alternate by slot and room so half of all typists ask for them.
 */
export function planTypists(rooms: readonly string[], urls: readonly string[]): TypistSpec[][] {
  const perWorker: TypistSpec[][] = Array.from({ length: LOAD.typistWorkers }, () => []);
  for (let index = 0; index < LOAD.typists; index++) {
    const roomIndex = index % rooms.length;
    const slot = Math.floor(index / rooms.length);
    const worker = Math.floor((roomIndex * LOAD.typistWorkers) / rooms.length);
    perWorker[worker]?.push({
      index,
      room: rooms[roomIndex] as string,
      url: urls[slot % urls.length] as string,
      ack: (slot + roomIndex) % 2 === 0,
      seed: 1000 + index,
    });
  }
  return perWorker;
}

export async function startWorld(cleanup: Cleanup, log: (line: string) => void): Promise<World> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logDir = join(REPO_ROOT, 'soak', 'results', stamp);
  mkdirSync(logDir, { recursive: true });
  const temp = mkdtempSync(join(tmpdir(), 'coedit-soak-'));
  chmodSync(temp, 0o755); // the postgres user must reach its data directory inside
  cleanup.add('remove the temporary directory', () =>
    rmSync(temp, { recursive: true, force: true }),
  );
  const ledger = new ProcessLedger();

  const bundle = await ensureRelayBundle(REPO_ROOT, log);
  ensureAppBuild(log);

  log('starting private PostgreSQL and Redis…');
  const postgres = await PrivatePostgres.start(temp, join(logDir, 'postgres.log'), ledger);
  cleanup.add('stop PostgreSQL', () => postgres.stop());
  const redis = await PrivateRedis.start(join(logDir, 'redis.log'), ledger);
  cleanup.add('stop Redis', () => redis.stop());

  const relayArgs = ['--storage', postgres.url, '--redis', redis.url, '--redis-prefix', 'soak'];
  const relays = ['relay-a', 'relay-b'].map(
    (name) =>
      new RelayInstance({
        name,
        bundle,
        args: [...relayArgs, '--log-level', 'warn'],
        logFile: join(logDir, `${name}.log`),
        ledger,
      }),
  );
  for (const relay of relays) {
    cleanup.add(`stop ${relay.name}`, () => relay.stop('SIGTERM'));
    await relay.start();
  }
  const tags = browserTags(LOAD.browsers);
  const balancer = await Balancer.start(relays, tags);
  cleanup.add('close the balancer', () => balancer.close());

  log('starting the web app and the client workers…');
  const app = await startWebApp(balancer.browserLink.url, join(logDir, 'next.log'));
  const appLifetime = ledger.track({ label: 'next start', pid: -1, exited: app.exited });
  cleanup.add('stop the web app', () => {
    appLifetime.expectedExit = appLifetime.exit ?? 'stopped';
    return app.stop();
  });

  const rooms = Array.from({ length: LOAD.rooms }, () => generateRoomId());
  const workers = await Promise.all(
    [...Array.from({ length: LOAD.typistWorkers }, (_, i) => `typists-${i}`), 'bad-clients'].map(
      (name) => ClientWorker.start(name),
    ),
  );
  for (const worker of workers) cleanup.add(`stop ${worker.name}`, () => worker.stop());
  const typistWorkers = workers.slice(0, LOAD.typistWorkers);
  const chaosWorker = workers.at(-1) as ClientWorker;
  const plan = planTypists(
    rooms,
    balancer.homeLinks.map((link) => link.url),
  );
  await Promise.all(
    typistWorkers.map((worker, i) =>
      worker.call({ op: 'open', typists: plan[i] ?? [], timeoutMs: 60_000 }, 90_000),
    ),
  );

  log('opening the Chromium users…');
  const browserRoom = rooms[0] as string;
  const browsers = await BrowserUsers.start(app.url, browserRoom, LOAD.browsers);
  cleanup.add('close Chromium', () => browsers.close());

  return {
    logDir,
    ledger,
    postgres,
    redis,
    relays,
    balancer,
    app,
    rooms,
    typistWorkers,
    chaosWorker,
    browsers,
    browserRoom,
  };
}
