/**
 * Child process for sqlite.test.ts: appends numbered updates to room 'crash' and prints each seq
 * after its append resolved, until the test kills it with SIGKILL. Bounded in count and time so
 * that a test run that dies before killing it never leaves it writing forever. It never closes
 * the store: closing folds and removes the journals, and a test slow to read our output (a
 * loaded machine) must still find them as a crash leaves them; past its count it waits to be
 * killed, and leaves on its own after MAX_MS.
 * With a second argument `yield`, it gives the event loop a turn after each append, so the
 * store's journal folds into the table while it writes; without, nothing is folded.
 */
import { openSqliteStore } from './sqlite';

const MAX_APPENDS = 50_000;
const MAX_MS = 30_000;

const path = process.argv[2];
if (!path) throw new Error('usage: sqlite-crash-writer.fixture.ts DB_PATH [yield]');
const yieldEachAppend = process.argv[3] === 'yield';
// The parent reads our stdout; if it goes away, stop at once instead of buffering output.
process.stdout.on('error', () => process.exit(1));
const store = openSqliteStore(path);
const deadline = Date.now() + MAX_MS;
// Keeps the process alive until it is killed, or ends it at the deadline (exit 2: never killed).
setTimeout(() => process.exit(2), MAX_MS);
for (let n = 1; n <= MAX_APPENDS && Date.now() < deadline; n++) {
  const result = await store.append([
    { room: 'crash', update: new Uint8Array([n & 0xff, (n >> 8) & 0xff, n >> 16]) },
  ]);
  process.stdout.write(`${result.get('crash')}\n`);
  if (yieldEachAppend) await new Promise((resolve) => setImmediate(resolve));
}
