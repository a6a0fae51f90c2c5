/**
 * kill -9 of one relay instance (a child process on Redis + PostgreSQL): its clients move to
 * another instance and every client converges, with everything typed anywhere stored.
 */
import { afterEach, expect, it } from 'vitest';
import {
  connectClient,
  type RelayProcess,
  spawnRelay,
  type TestClient,
  waitFor,
} from '../test/harness';
import {
  converged,
  databasePerFile,
  freshPrefix,
  health,
  SHARED_REDIS_URL,
  storedText,
  typeTokens,
} from './fleet.fixture';

const db = databasePerFile();

const processes: RelayProcess[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const relay of processes.splice(0)) {
    relay.child.kill('SIGTERM');
    await relay.exited;
  }
});

function client(relay: RelayProcess, room: string, doc?: TestClient['doc']): TestClient {
  const made = connectClient(relay.url, room, doc ? { doc } : {});
  clients.push(made);
  return made;
}

/** Point a client's document at another relay, as a load balancer would on reconnect. */
function moveTo(relay: RelayProcess, moved: TestClient, room: string): TestClient {
  moved.provider.destroy(); // the document lives on, with whatever the dead relay never got
  clients.splice(clients.indexOf(moved), 1);
  return client(relay, room, moved.doc);
}

it('clients of a killed instance reconnect to another and lose nothing', async () => {
  const prefix = freshPrefix();
  const args = ['--port', '0', '--storage', db.url, '--redis', SHARED_REDIS_URL];
  const env = ['--redis-prefix', prefix, '--unload-grace-ms', '200'];
  const [a, b] = await Promise.all([spawnRelay([...args, ...env]), spawnRelay([...args, ...env])]);
  processes.push(a, b);
  expect((await health(`http://127.0.0.1:${a.port}`)).body.status).toBe('ok');

  const room = freshPrefix();
  const onA = [client(a, room), client(a, room)];
  const onB = [client(b, room), client(b, room)];
  await Promise.all([...onA, ...onB].map((u) => u.synced()));
  const first = (
    await Promise.all([...onA, ...onB].map((u, i) => typeTokens(u, `f${i}`, 20)))
  ).flat();
  await converged([...onA, ...onB], first);

  // Everyone keeps typing while instance A dies mid-stream.
  const typing = Promise.all([...onA, ...onB].map((u, i) => typeTokens(u, `k${i}`, 30, 5)));
  await waitFor(() => onB.every((u) => u.text.toString().includes('<k0:5>')), 5000, 'typing');
  a.child.kill('SIGKILL');
  expect(await a.exited).toBe('SIGKILL');
  processes.splice(processes.indexOf(a), 1);
  const during = (await typing).flat();

  const moved = onA.map((u) => moveTo(b, u, room));
  const after = (await Promise.all(moved.map((u, i) => typeTokens(u, `m${i}`, 10)))).flat();
  const everything = [...first, ...during, ...after];
  const text = await converged([...moved, ...onB], everything);

  await waitFor(
    async () => (await storedText(db.url, room)) === text,
    10_000,
    'the database to hold everything',
  );
});
