/**
 * The last 15 minutes of samples of every instance this one hears of (itself, and the others
 * over the cluster bus), and the streams told of each new sample.
 */
import {
  DASHBOARD_HISTORY_SECONDS,
  type DashboardHistory,
  type DashboardSample,
} from '../../lib/dashboard';
import { Ring } from './ring';

export type SampleListener = (sample: DashboardSample) => void;

export class Timeline {
  private readonly rings = new Map<string, Ring<DashboardSample>>();
  private readonly listeners = new Set<SampleListener>();

  constructor(
    readonly self: string,
    private readonly capacity = DASHBOARD_HISTORY_SECONDS,
  ) {}

  add(sample: DashboardSample): void {
    let ring = this.rings.get(sample.instance);
    if (!ring) {
      ring = new Ring(this.capacity);
      this.rings.set(sample.instance, ring);
    }
    ring.push(sample);
    this.forgetSilent(sample.t);
    for (const listener of this.listeners) listener(sample);
  }

  history(): DashboardHistory {
    const instances: Record<string, DashboardSample[]> = {};
    for (const [instance, ring] of this.rings) instances[instance] = ring.toArray();
    return { self: this.self, instances };
  }

  /** Call `listener` with every sample added from now on, until the returned function is called. */
  listen(listener: SampleListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get watchers(): number {
    return this.listeners.size;
  }

  /** Instances gone for longer than the history (stopped, or restarted under a new id). */
  private forgetSilent(now: number): void {
    for (const [instance, ring] of this.rings) {
      const last = ring.last();
      if (instance !== this.self && last && now - last.t > this.capacity)
        this.rings.delete(instance);
    }
  }
}
