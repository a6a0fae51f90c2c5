/**
 * Carries out the planned faults one at a time and records when each really started and when
 * the system was whole again (every relay instance answering /healthz with status "ok"). Those
 * spans, plus a recovery margin, are the fault windows that latency and leak figures leave out.
 */
import { nowMs } from '../bench/clock';
import { waitUntil } from '../e2e/support/process';
import type { Balancer } from './balancer';
import type { PrivatePostgres } from './private-postgres';
import type { PrivateRedis } from './private-redis';
import type { RelayInstance } from './relay-instance';
import type { FaultKind, PlannedFault } from './schedule';
import type { BadClientsReply } from './worker-protocol';

/** How long the balancer refuses connections after resetting them all. */
const RESET_OUTAGE_MS = 1_000;

export interface FaultRecord {
  readonly kind: FaultKind;
  readonly target: string;
  readonly startMs: number;
  /** When every instance answered healthy again. */
  readonly endMs: number;
  readonly detail: string;
}

export interface FaultTargets {
  readonly relays: readonly RelayInstance[];
  readonly redis: PrivateRedis;
  readonly postgres: PrivatePostgres;
  readonly balancer: Balancer;
  /** Runs the flooder and the slow consumer (in the chaos worker) for `holdMs`. */
  readonly badClients: (holdMs: number) => Promise<BadClientsReply>;
  /**
   * Resolves once every client of the flooded room holds `floodStateVector`: the relays have
   * worked off the flood's backlog, so the fault is really over.
   */
  readonly floodAbsorbed: (floodStateVector: Uint8Array) => Promise<void>;
  /** The flood's clients leave their room, so the relays unload it and give its memory back. */
  readonly leaveFlood: () => Promise<void>;
}

async function healthy(instance: RelayInstance): Promise<boolean> {
  const res = await fetch(`${instance.httpUrl}/healthz`, { signal: AbortSignal.timeout(1_000) });
  return res.ok && ((await res.json()) as { status: string }).status === 'ok';
}

export class FaultInjector {
  constructor(private readonly targets: FaultTargets) {}

  async inject(fault: PlannedFault): Promise<FaultRecord> {
    const startMs = nowMs();
    const { target, detail } = await this.#act(fault);
    await waitUntil(
      'every relay instance to be healthy again',
      async () => (await Promise.all(this.targets.relays.map(healthy))).every(Boolean),
      60_000,
    );
    return { kind: fault.kind, target, startMs, endMs: nowMs(), detail };
  }

  async #act(fault: PlannedFault): Promise<{ target: string; detail: string }> {
    const { relays, redis, postgres, balancer } = this.targets;
    switch (fault.kind) {
      case 'kill-instance':
      case 'term-instance': {
        const relay = relays[fault.instance ?? 0] as RelayInstance;
        const signal = fault.kind === 'kill-instance' ? 'SIGKILL' : 'SIGTERM';
        const exit = await relay.stop(signal);
        await relay.start();
        return { target: relay.name, detail: `${signal}: exit ${exit}, restarted` };
      }
      case 'reset-connections':
        await balancer.resetAll(RESET_OUTAGE_MS);
        return {
          target: 'balancer',
          detail: `every connection reset, ${RESET_OUTAGE_MS} ms outage`,
        };
      case 'restart-redis':
        await redis.restart();
        return { target: 'redis', detail: 'SIGKILL, restarted on the same port' };
      case 'pause-redis':
        redis.pause(true);
        try {
          await new Promise((resolve) => setTimeout(resolve, fault.holdMs));
        } finally {
          redis.pause(false);
        }
        return { target: 'redis', detail: `SIGSTOP for ${fault.holdMs / 1000} s, SIGCONT` };
      case 'restart-postgres':
        await postgres.restart();
        return { target: 'postgres', detail: 'pg_ctl stop -m fast, started again' };
      case 'bad-clients': {
        const reply = await this.targets.badClients(fault.holdMs);
        await this.targets.floodAbsorbed(reply.floodStateVector);
        await this.targets.leaveFlood();
        const refused = reply.floodCloseCodes.length
          ? `closed ${reply.floodCloseCodes.join(',')}`
          : 'never closed';
        return {
          target: 'flooder + slow consumer',
          detail:
            `${reply.floodUpdates} flood updates (${(reply.floodBytes / 1024).toFixed(0)} KiB), ` +
            `flooder ${refused}; slow consumer read ${reply.slowBytesRead} B then stalled; ` +
            'flood clients left the room',
        };
      }
      default: {
        const unknown: never = fault.kind;
        throw new Error(`unknown fault ${unknown}`);
      }
    }
  }
}
