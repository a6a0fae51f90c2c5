import * as Y from 'yjs';
import { nowMs } from './clock';
import type { Client } from './loadgen-client';
import type { TypeReply } from './loadgen-protocol';
import { percentile } from './stats';

/** A typing client: its global index (for staggering) and its room. */
export interface Typist {
  index: number;
  room: string;
  client: Client;
}

/**
 * Token inserted by a typist: `#` + m(easured) or w(arm-up) + client.seq + `@` + send time + `|`.
 * The send time is on the shared clock (bench/clock.ts), so any process can compute the latency.
 */
const TOKEN = /#([mw])[\d.]+@([\d.]+)\|/g;

function token(measured: boolean, index: number, seq: number, at: number): string {
  return `#${measured ? 'm' : 'w'}${index}.${seq}@${at.toFixed(3)}|`;
}

/**
 * Receiving side: records the latency of every measured token that reaches a client from the
 * server. Parses the update itself (cheap, independent of document size) instead of computing a
 * Y.Text delta, which walks the whole text.
 */
export class LatencyRecorder {
  latencies: number[] = [];

  attach(client: Client): void {
    client.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === null || origin === undefined) return; // our own insert
      const at = nowMs();
      for (const struct of Y.decodeUpdate(update).structs) {
        if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) continue;
        for (const match of struct.content.str.matchAll(TOKEN)) {
          if (match[1] === 'm') this.latencies.push(at - Number(match[2]));
        }
      }
    });
  }

  reset(): void {
    this.latencies = [];
  }
}

export interface TypingPlan {
  startAt: number;
  ratePerClient: number;
  warmupMs: number;
  measureMs: number;
  totalClients: number;
}

/**
 * Sending side: every typist appends one token per period, staggered evenly over the period by
 * global index so the load is smooth across processes. Resolves after the last scheduled token.
 */
export function runTyping(typists: readonly Typist[], plan: TypingPlan): Promise<TypeReply> {
  const period = 1000 / plan.ratePerClient;
  const measureFrom = plan.startAt + plan.warmupMs;
  const end = measureFrom + plan.measureMs;
  const order = [...typists].sort((a, b) => a.index - b.index);
  const offsetOf = (t: Typist) => (t.index / plan.totalClients) * period;
  const sentByRoom: Record<string, number> = {};
  const lags: number[] = [];
  let round = 0;
  let pos = 0;
  const dueAt = () => plan.startAt + round * period + offsetOf(order[pos] as Typist);

  return new Promise((resolve) => {
    const finish = () => {
      lags.sort((a, b) => a - b);
      resolve({
        sentByRoom,
        sendLagP99: lags.length ? percentile(lags, 99) : 0,
        sendLagMax: lags.length ? (lags[lags.length - 1] as number) : 0,
      });
    };
    if (order.length === 0) {
      setTimeout(finish, Math.max(0, end - nowMs()));
      return;
    }
    const tick = () => {
      let now = nowMs();
      while (dueAt() <= now) {
        const due = dueAt();
        if (due >= end) return finish();
        const typist = order[pos] as Typist;
        const measured = due >= measureFrom;
        const { text } = typist.client;
        text.insert(text.length, token(measured, typist.index, round, now));
        if (measured) {
          sentByRoom[typist.room] = (sentByRoom[typist.room] ?? 0) + 1;
          lags.push(now - due);
        }
        if (++pos === order.length) {
          pos = 0;
          round++;
        }
        now = nowMs();
      }
      setTimeout(tick, Math.max(0, dueAt() - now));
    };
    setTimeout(tick, Math.max(0, dueAt() - nowMs()));
  });
}
