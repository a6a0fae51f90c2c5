/**
 * The live operations dashboard's relay side: a sample a second (sampler.ts) into a 15-minute
 * timeline (timeline.ts), shared with the other instances of a cluster (peers.ts), streamed to
 * admins at GET /api/v1/admin/stream (stream.ts). The page is app/admin/.
 */
import type { InstanceStatus } from '../../lib/dashboard';
import { type Cluster, newInstanceId } from '../cluster/cluster';
import type { Route } from '../http/router';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import type { RoomActivity } from './busiest';
import { connectPeers } from './peers';
import { Sampler } from './sampler';
import { dashboardStreams } from './stream';
import { Timeline } from './timeline';

export interface DashboardDeps {
  readonly metrics: RelayMetrics;
  stats(): { readonly connections: number; readonly rooms: number };
  rooms(): Iterable<RoomActivity>;
  status(): InstanceStatus;
  readonly cluster?: Cluster;
  readonly logger: Logger;
}

export interface Dashboard {
  /** The stream's route (admin only). */
  routes(): Route[];
  readonly timeline: Timeline;
  /** Stop sampling, end the streams, leave the cluster channel. Idempotent. */
  close(): Promise<void>;
}

export function createDashboard(deps: DashboardDeps): Dashboard {
  const instance = deps.cluster?.instanceId ?? newInstanceId();
  const timeline = new Timeline(instance);
  const sampler = new Sampler({ instance, ...deps });
  const streams = dashboardStreams({ timeline, ...deps });
  const peers =
    deps.cluster &&
    connectPeers(
      deps.cluster,
      (sample) => {
        if (sample.instance !== instance) timeline.add(sample);
      },
      (err) => deps.logger.warn({ err }, 'dashboard: cluster samples'),
    );
  const stopTicking = everySecond(() => {
    try {
      const sample = sampler.take();
      timeline.add(sample);
      peers?.publish(sample);
    } catch (err) {
      deps.logger.error({ err }, 'dashboard: sample failed');
    }
  });
  let closed: Promise<void> | null = null;
  return {
    routes: () => [streams.route()],
    timeline,
    close() {
      closed ??= (async () => {
        stopTicking();
        streams.close();
        await peers?.close();
      })();
      return closed;
    },
  };
}

/**
 * Run `tick` just after every wall-clock second, so the samples of instances line up on the
 * same seconds and a late timer does not drift into the next one.
 */
function everySecond(tick: () => void): () => void {
  let timer: NodeJS.Timeout;
  const schedule = () => {
    timer = setTimeout(
      () => {
        tick();
        schedule();
      },
      1000 - (Date.now() % 1000) + 5,
    );
    timer.unref();
  };
  schedule();
  return () => clearTimeout(timer);
}
