import { nowMs, waitFor } from '../clock';
import { PeakRssSampler, readCpuMs, readRssKb } from '../proc';
import { openRooms } from './s1-fanout';
import type { Scenario } from './scenario';

/** RSS counts as settled when two samples this far apart differ by less than 1%. */
const SETTLE_INTERVAL_MS = 250;

export const s3Scenario: Scenario = {
  group: 'S3',
  title: 'S3 idle connections',
  method:
    '2,000 clients over 200 rooms (quick: 500 over 50), at most 25 handshakes in flight per ' +
    'generator; RSS per connection = (settled RSS after − RSS before) / clients.',
  metrics: [
    { key: 'clients', label: 'clients', better: 'none', digits: 0 },
    { key: 'connectMs', label: 'time to connect all (ms)', better: 'lower', digits: 0 },
    { key: 'rssPerConnKb', label: 'RSS per connection (KB)', better: 'lower', digits: 1 },
    { key: 'rssBeforeMb', label: 'RSS before (MB)', better: 'none', digits: 1 },
    { key: 'rssAfterMb', label: 'RSS after (MB)', better: 'lower', digits: 1 },
    { key: 'peakRssMb', label: 'peak RSS while connecting (MB)', better: 'lower', digits: 1 },
    { key: 'connectCpuMs', label: 'server CPU to accept all (ms)', better: 'lower', digits: 0 },
  ],
  async run(ctx) {
    const { pid } = ctx.server;
    const layout = ctx.quick
      ? { rooms: 50, clientsPerRoom: 10 }
      : { rooms: 200, clientsPerRoom: 10 };
    const rssBefore = readRssKb(pid);
    const cpu0 = readCpuMs(pid);
    const peak = new PeakRssSampler(pid);
    const t0 = nowMs();
    let clients: number;
    try {
      clients = await openRooms(ctx, 's3', layout);
    } finally {
      peak.stop();
    }
    const connectMs = nowMs() - t0;
    const connectCpuMs = readCpuMs(pid) - cpu0;
    let last = readRssKb(pid);
    await waitFor(
      () => {
        const current = readRssKb(pid);
        const settled = Math.abs(current - last) < last * 0.01;
        last = current;
        return settled;
      },
      5000,
      SETTLE_INTERVAL_MS,
    );
    return {
      clients,
      connectMs,
      rssPerConnKb: (last - rssBefore) / clients,
      rssBeforeMb: rssBefore / 1024,
      rssAfterMb: last / 1024,
      peakRssMb: peak.stop() / 1024,
      connectCpuMs,
    };
  },
};
