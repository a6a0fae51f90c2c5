/**
 * GET /api/v1/admin/stream: the dashboard's data as Server-Sent Events. The first event is the
 * whole history (every instance, up to 15 minutes), then each sample as it is taken or heard
 * from another instance. Behind an admin token (`Authorization: Bearer`, so the token stays out
 * of URLs and access logs; the page reads the stream with fetch) on a relay with a secret; open
 * like the rest of the API on a relay without one (http/auth.ts). CORS, the origin rule and
 * errors are the router's.
 */
import type { ServerResponse } from 'node:http';
import { DASHBOARD_STREAM_PATH, type DashboardSample } from '../../lib/dashboard';
import type { Route } from '../http/router';
import type { Timeline } from './timeline';

/** A comment line this often keeps proxies from closing a quiet stream (samples come anyway). */
const HEARTBEAT_MS = 15_000;
/** A watcher this far behind is cut off rather than buffered for without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

export interface StreamDeps {
  readonly timeline: Timeline;
  readonly heartbeatMs?: number;
}

export interface DashboardStreams {
  /** The stream's route (admin only). */
  route(): Route;
  /** End every open stream (relay shutdown). */
  close(): void;
  readonly open: number;
}

export function dashboardStreams(deps: StreamDeps): DashboardStreams {
  const open = new Set<ServerResponse>();
  // Each sample is serialized once, however many watch.
  let lastSample: DashboardSample | null = null;
  let lastFrame = '';
  const frameOf = (sample: DashboardSample): string => {
    if (sample !== lastSample) {
      lastSample = sample;
      lastFrame = `event: sample\ndata: ${JSON.stringify(sample)}\n\n`;
    }
    return lastFrame;
  };

  function watch(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    res.write(`event: history\ndata: ${JSON.stringify(deps.timeline.history())}\n\n`);
    open.add(res);
    const send = (text: string) => {
      if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      else res.write(text);
    };
    const stopListening = deps.timeline.listen((sample) => send(frameOf(sample)));
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), deps.heartbeatMs ?? HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
      open.delete(res);
      stopListening();
      clearInterval(heartbeat);
    });
  }

  return {
    route: () => ({
      method: 'GET',
      path: DASHBOARD_STREAM_PATH,
      name: 'dashboard.stream',
      access: 'admin',
      async handle({ res }) {
        if (!res.destroyed) watch(res);
      },
    }),
    close() {
      for (const res of open) res.end();
    },
    get open() {
      return open.size;
    },
  };
}
