/**
 * Webhooks survive a restart on SQLite: a document.updated still waiting for its quiet period
 * when the relay stops is queued on the way down (the room's unload), and a delivery queued or
 * in flight then is sent by the next relay on the same file.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../test/harness';
import { openSqliteWebhookStore } from './store-sqlite';
import { bodiesOf, type Receiver, startReceiver, startWebhookRelay } from './test-support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('webhooks across a restart (SQLite)', () => {
  it('a delivery queued before the relay stopped is sent after it starts again', async () => {
    const dir = tempDir('coedit-webhooks-restart-');
    cleanups.push(dir.cleanup);
    // Until the restart the receiver never answers; then it accepts.
    let up = false;
    const target: Receiver = await startReceiver(() => (up ? 200 : 'hang'));
    cleanups.push(() => target.close());

    // The first relay waits a minute of quiet: the edit is still pending when it stops.
    const first = await startWebhookRelay({
      dir: dir.path,
      config: { webhookDebounceMs: 60_000, unloadGraceMs: 60_000 },
    });
    const created = await first.api('POST', '/api/v1/webhooks', {
      url: target.url,
      events: ['document.updated'],
    });
    expect(created.status).toBe(201);
    const made = await first.api('POST', '/api/v1/documents', { text: '# Kept\nacross restarts' });
    const { room } = made.body;
    await first.close();
    // Nothing was accepted; the report was queued by the shutdown.
    expect(target.accepted).toEqual([]);
    const file = openSqliteWebhookStore(join(dir.path, 'coedit.db'));
    const [queued] = await file.deliveries(created.body.id, 10);
    await file.close();
    expect(queued).toMatchObject({ event: 'document.updated', room, status: 'pending' });

    up = true;
    const second = await startWebhookRelay({ dir: dir.path });
    cleanups.push(() => second.close());
    await waitFor(() => target.accepted.length === 1, 10_000, 'the delivery after the restart');
    expect(bodiesOf(target.accepted)[0]).toMatchObject({
      event: 'document.updated',
      room,
      title: 'Kept',
    });
    await waitFor(
      async () =>
        (await second.api('GET', `/api/v1/webhooks/${created.body.id}/deliveries`)).body
          .deliveries[0]?.status === 'delivered',
      5_000,
      'the log to say delivered',
    );
    const log = (await second.api('GET', `/api/v1/webhooks/${created.body.id}/deliveries`)).body
      .deliveries;
    expect(log).toHaveLength(1);
  });
});
