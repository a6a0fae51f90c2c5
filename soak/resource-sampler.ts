/**
 * Samples each relay instance once a second: resident memory and open file descriptors from
 * /proc/<pid>, and open connections from /healthz (so descriptors that are client sockets can
 * be told from the rest). A sample belongs to the process lifetime it was read from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { nowMs } from '../bench/clock';
import type { ResourceSample } from './analysis';
import type { RelayInstance } from './relay-instance';

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}

async function openConnections(httpUrl: string): Promise<number | null> {
  try {
    const res = await fetch(`${httpUrl}/healthz`, { signal: AbortSignal.timeout(800) });
    const body = (await res.json()) as { connections?: number };
    return typeof body.connections === 'number' ? body.connections : null;
  } catch {
    return null;
  }
}

export class ResourceSampler {
  readonly samples = new Map<string, ResourceSample[]>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly instances: readonly RelayInstance[],
    private readonly intervalMs = 1_000,
  ) {
    for (const instance of instances) this.samples.set(instance.name, []);
  }

  start(): void {
    const tick = async () => {
      await Promise.all(this.instances.map((instance) => this.#sample(instance)));
      this.#timer = setTimeout(tick, this.intervalMs);
    };
    this.#timer = setTimeout(tick, this.intervalMs);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  async #sample(instance: RelayInstance): Promise<void> {
    const lifetime = instance.current;
    if (!lifetime || !instance.up) return;
    const connections = await openConnections(instance.httpUrl);
    try {
      this.samples.get(instance.name)?.push({
        pid: lifetime.pid,
        startedAtMs: lifetime.startedAtMs,
        atMs: nowMs(),
        rssBytes: rssBytes(lifetime.pid),
        fds: readdirSync(`/proc/${lifetime.pid}/fd`).length,
        connections,
      });
    } catch {
      // The process went away between the check and the read: no sample.
    }
  }
}
