import { PeakRssSampler, readCpuMs } from '../proc';
import { type TraceName, tracePath } from '../traces';
import type { Scenario } from './scenario';

/** Fixed Yjs client id of the replaying writer, so the watcher can follow its clock. */
const WRITER_CLIENT_ID = 0x5eed;
const CHECKPOINTS = 100;

function replay(trace: TraceName, fullOnly: boolean): Scenario {
  return {
    group: 'S5',
    title: `S5 trace replay (${trace})`,
    method:
      `A writer replays ${trace} keystroke by keystroke (one update per transaction, batches of ` +
      '64 per macrotask, pausing while > 1 MiB is unsent) while a watcher in the other generator ' +
      'waits for the end content. Lag = watcher receive − writer send at 100 clock checkpoints.',
    metrics: [
      { key: 'txns', label: 'keystrokes (txns)', better: 'none', digits: 0 },
      { key: 'converged', label: 'watcher converged (1 = yes)', better: 'higher', digits: 0 },
      { key: 'sendRate', label: 'writer updates/s', better: 'higher', digits: 0 },
      {
        key: 'deliveredRate',
        label: 'delivered to watcher updates/s',
        better: 'higher',
        digits: 0,
      },
      {
        key: 'convergeLagMs',
        label: 'watcher converged after last keystroke (ms)',
        better: 'lower',
        digits: 1,
      },
      { key: 'maxLagMs', label: 'max checkpoint lag (ms)', better: 'lower', digits: 1 },
      { key: 'serverCpuMs', label: 'server CPU (ms)', better: 'lower', digits: 0 },
      { key: 'peakRssMb', label: 'server peak RSS (MB)', better: 'lower', digits: 1 },
    ],
    fullOnly,
    async run(ctx) {
      const { server, pool } = ctx;
      const [writer, watcher] = [pool.workers[0], pool.workers[1] ?? pool.workers[0]];
      if (!writer || !watcher) throw new Error('S5 needs a load generator');
      const room = `s5-${trace}`;
      const file = tracePath(trace);
      await watcher.call({
        op: 'watch',
        url: server.url,
        room,
        tracePath: file,
        writerClientId: WRITER_CLIENT_ID,
        checkpoints: CHECKPOINTS,
      });
      const cpu0 = readCpuMs(server.pid);
      const rss = new PeakRssSampler(server.pid);
      try {
        const sent = await writer.call(
          {
            op: 'replay',
            url: server.url,
            room,
            tracePath: file,
            clientId: WRITER_CLIENT_ID,
            checkpoints: CHECKPOINTS,
            timeoutMs: 300_000,
          },
          330_000,
        );
        const seen = await watcher.call({ op: 'watchResult', timeoutMs: 60_000 }, 90_000);
        const lags = sent.checkpointAt.map((at, i) => (seen.checkpointAt[i] ?? Number.NaN) - at);
        return {
          txns: sent.txns,
          converged: seen.converged ? 1 : 0,
          sendRate: sent.txns / ((sent.lastSentAt - sent.firstSentAt) / 1000),
          deliveredRate: seen.converged
            ? sent.txns / ((seen.convergedAt - sent.firstSentAt) / 1000)
            : Number.NaN,
          convergeLagMs: seen.converged ? seen.convergedAt - sent.lastSentAt : Number.NaN,
          maxLagMs: lags.length ? Math.max(...lags) : Number.NaN,
          serverCpuMs: readCpuMs(server.pid) - cpu0,
          peakRssMb: rss.stop() / 1024,
        };
      } finally {
        rss.stop();
      }
    },
  };
}

export const s5Scenarios: Scenario[] = [
  replay('sveltecomponent', false),
  replay('automerge-paper', true),
];
