/**
 * Child process for sqlite.test.ts: appends numbered updates to room 'crash' forever and prints
 * each seq after its append resolved, until the test kills it with SIGKILL.
 */
import { openSqliteStore } from './sqlite';

const path = process.argv[2];
if (!path) throw new Error('usage: sqlite-crash-writer.fixture.ts DB_PATH');
const store = openSqliteStore(path);
for (let n = 1; ; n++) {
  const result = await store.append([
    { room: 'crash', update: new Uint8Array([n & 0xff, n >> 8]) },
  ]);
  process.stdout.write(`${result.get('crash')}\n`);
}
