/** Test helper: watch a relay's dashboard stream with fetch, as the page does. */
import {
  DASHBOARD_STREAM_PATH,
  type DashboardEvent,
  type DashboardHistory,
  type DashboardSample,
  dashboardEvent,
  SseParser,
} from '../../lib/dashboard';
import { waitFor } from '../test/harness';

export interface Watch {
  readonly history: DashboardHistory;
  /** Samples received after the history, in order. */
  readonly samples: DashboardSample[];
  /** Raw text received, heartbeats included. */
  readonly raw: string;
  /** Resolve with the first sample (received from now on) that `matches`. */
  sample(matches: (s: DashboardSample) => boolean, timeoutMs?: number): Promise<DashboardSample>;
  /** Resolves when the relay ends the stream. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

/** Open the stream; rejects with the status and body if it is refused. */
export async function watch(httpUrl: string, token?: string): Promise<Watch> {
  const controller = new AbortController();
  const res = await fetch(`${httpUrl}${DASHBOARD_STREAM_PATH}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body)
    throw new Error(`stream refused: ${res.status} ${await res.text()}`);
  const events: DashboardEvent[] = [];
  const parser = new SseParser();
  const decoder = new TextDecoder();
  let raw = '';
  const reader = res.body.getReader();
  const ended = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        const text = decoder.decode(value, { stream: true });
        raw += text;
        for (const { event, data } of parser.push(text)) {
          const parsed = dashboardEvent(event, data);
          if (parsed) events.push(parsed);
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  await waitFor(() => events.length > 0, 5000, 'the history event');
  const first = events[0] as DashboardEvent;
  if (first.type !== 'history') throw new Error(`first event is ${first.type}`);
  const samples = () =>
    events.flatMap((e) => (e.type === 'sample' ? [e.data] : [])) as DashboardSample[];
  return {
    history: first.data,
    get samples() {
      return samples();
    },
    get raw() {
      return raw;
    },
    async sample(matches, timeoutMs = 10_000) {
      const from = samples().length;
      let found: DashboardSample | undefined;
      await waitFor(
        () => {
          found = samples().slice(from).find(matches);
          return found !== undefined;
        },
        timeoutMs,
        'a matching sample',
      );
      return found as DashboardSample;
    },
    ended,
    async close() {
      controller.abort();
      await ended;
    },
  };
}
