/**
 * Instances of a cluster share their samples, so any instance's dashboard draws one line per
 * instance. Samples travel as JSON on the cluster bus under a channel name no room can have
 * (room ids are `[A-Za-z0-9_-]`), so no room ever receives them. At most once, like the rest of
 * the bus: a lost sample is a one-second gap in a line.
 */

import type { DashboardSample } from '../../lib/dashboard';
import { isValidRoomId } from '../../lib/room-id';
import type { Cluster } from '../cluster/cluster';

export const DASHBOARD_CHANNEL = '~dashboard';
if (isValidRoomId(DASHBOARD_CHANNEL))
  throw new Error('the dashboard channel must not be a room id');

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface Peers {
  publish(sample: DashboardSample): void;
  close(): Promise<void>;
}

/** Publish this instance's samples and hand the others' to `onSample`. */
export function connectPeers(
  cluster: Pick<Cluster, 'subscribe' | 'publish'>,
  onSample: (sample: DashboardSample) => void,
  onError: (err: unknown) => void,
): Peers {
  const subscribed = cluster.subscribe(DASHBOARD_CHANNEL, (frame) => {
    const sample = parseSample(frame);
    if (sample) onSample(sample);
    else onError(new Error('malformed dashboard sample from the cluster'));
  });
  subscribed.catch(onError);
  return {
    publish(sample) {
      cluster.publish(DASHBOARD_CHANNEL, encoder.encode(JSON.stringify(sample)));
    },
    async close() {
      const unsubscribe = await subscribed.catch(() => null);
      await unsubscribe?.();
    },
  };
}

/** A sample from another instance, checked enough to file it and draw it; null if not one. */
function parseSample(frame: Uint8Array): DashboardSample | null {
  try {
    const value = JSON.parse(decoder.decode(frame)) as Partial<DashboardSample> | null;
    if (
      typeof value?.instance === 'string' &&
      typeof value.t === 'number' &&
      typeof value.connections === 'number' &&
      Array.isArray(value.busiest)
    )
      return value as DashboardSample;
  } catch {}
  return null;
}
