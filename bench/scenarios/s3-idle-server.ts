import { delay, waitFor } from '../clock';
import { readMemorySplit } from '../proc';
import type { Scenario } from './scenario';

/** Idle RSS is read this long after the server is ready (start-up garbage has been collected). */
const SETTLE_MS = 3000;
/** …and once two samples this far apart differ by less than 1%. */
const STABLE_INTERVAL_MS = 250;

const mb = (kb: number) => kb / 1024;

export const s3ServerScenario: Scenario = {
  group: 'S3',
  key: 'S3-SERVER',
  title: 'S3 idle server (fresh, no clients)',
  method:
    `RSS of a freshly started server with no client, ${SETTLE_MS / 1000} s after it is ready ` +
    'and once stable (two samples 250 ms apart within 1%); anonymous (heap, stacks) and ' +
    'file-backed (node binary, libraries) parts and threads from /proc/<pid>/status.',
  metrics: [
    { key: 'idleRssMb', label: 'idle RSS (MB)', better: 'lower', digits: 1 },
    { key: 'anonMb', label: '… anonymous (MB)', better: 'lower', digits: 1 },
    { key: 'fileMb', label: '… file-backed (MB)', better: 'lower', digits: 1 },
    { key: 'threads', label: 'threads', better: 'none', digits: 0 },
  ],
  async run(ctx) {
    const { pid } = ctx.server;
    await delay(SETTLE_MS);
    let last = readMemorySplit(pid);
    await waitFor(
      () => {
        const current = readMemorySplit(pid);
        const stable = Math.abs(current.rssKb - last.rssKb) < last.rssKb * 0.01;
        last = current;
        return stable;
      },
      5000,
      STABLE_INTERVAL_MS,
    );
    return {
      idleRssMb: mb(last.rssKb),
      anonMb: mb(last.anonKb),
      fileMb: mb(last.fileKb),
      threads: last.threads,
    };
  },
};
