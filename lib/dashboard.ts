/**
 * The operations dashboard's wire format (GET /api/v1/admin/stream, Server-Sent Events), shared
 * by the relay (server/dashboard/) and the page (app/admin/).
 *
 *   event: history   data: DashboardHistory   (first, once: up to 15 minutes per instance)
 *   event: sample    data: DashboardSample    (then one per instance per second)
 *
 * Room ids in a sample come from the relay and are shown as text only.
 */

export const DASHBOARD_STREAM_PATH = '/api/v1/admin/stream';

/** One sample per second, 15 minutes kept. */
export const DASHBOARD_HISTORY_SECONDS = 900;

/** 'degraded': the instance cannot reach Redis (its cluster bus), yet serves its own clients. */
export type InstanceStatus = 'ok' | 'degraded' | 'shutting-down';

export interface BusyRoom {
  readonly room: string;
  /** Open connections in the room now. */
  readonly people: number;
  /** Edits accepted into the room over the last second. */
  readonly updates: number;
}

/**
 * What one relay instance did over one second. Counts are since the previous sample, a second
 * earlier (they sum exactly to the totals), so they are per-second rates.
 */
export interface DashboardSample {
  readonly instance: string;
  /** Whole second (Unix time) the sample was taken at. */
  readonly t: number;
  readonly status: InstanceStatus;
  readonly connections: number;
  readonly rooms: number;
  /** Document updates received from / sent to sockets (y-websocket sync updates). */
  readonly updatesIn: number;
  readonly updatesOut: number;
  /** Bytes of every frame received / sent. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Totals since the relay started (relay_messages_{in,out}_total{type="sync-update"}). */
  readonly updatesInTotal: number;
  readonly updatesOutTotal: number;
  /** 99th percentile over the last second in ms; null when nothing happened. */
  readonly appendP99Ms: number | null;
  readonly applyP99Ms: number | null;
  /** Rejections over the last second by reason (reasons with none are left out). */
  readonly rejections: Readonly<Record<string, number>>;
  /** At most ten rooms, busiest first. */
  readonly busiest: readonly BusyRoom[];
}

export interface DashboardHistory {
  /** The instance serving this stream. */
  readonly self: string;
  /** Oldest first, per instance. */
  readonly instances: Readonly<Record<string, readonly DashboardSample[]>>;
}

export type DashboardEvent =
  | { readonly type: 'history'; readonly data: DashboardHistory }
  | { readonly type: 'sample'; readonly data: DashboardSample };

/**
 * Splits a Server-Sent Events byte stream into events. `push` takes decoded text in any chunks
 * and returns the complete events seen so far; comments (heartbeats) are skipped.
 */
export class SseParser {
  private buffer = '';
  /** A chunk's trailing CR: it may be the first half of a CRLF. */
  private carry = '';

  push(text: string): { event: string; data: string }[] {
    let input = this.carry + text;
    this.carry = '';
    if (input.endsWith('\r')) {
      this.carry = '\r';
      input = input.slice(0, -1);
    }
    this.buffer += input.replace(/\r\n?/g, '\n');
    const events: { event: string; data: string }[] = [];
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return events;
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) events.push({ event, data: data.join('\n') });
    }
  }
}

/** A parsed stream event, or null for events of other types. */
export function dashboardEvent(event: string, data: string): DashboardEvent | null {
  if (event === 'history') return { type: 'history', data: JSON.parse(data) as DashboardHistory };
  if (event === 'sample') return { type: 'sample', data: JSON.parse(data) as DashboardSample };
  return null;
}
