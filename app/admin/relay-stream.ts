/**
 * Reads the relay's dashboard stream with fetch + ReadableStream (not EventSource), so the admin
 * token goes in an Authorization header, never in a URL. A dropped or silent stream is retried
 * with jittered exponential backoff; a refused token is not (it needs a new one).
 */
import { type BackoffPolicy, fullJitterDelay } from '../../lib/backoff';
import {
  DASHBOARD_STREAM_PATH,
  type DashboardEvent,
  dashboardEvent,
  SseParser,
} from '../../lib/dashboard';

/** Samples come every second: this long without a byte means the stream is dead. */
const SILENCE_MS = 5000;
const BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 10_000 };
/** Never retry sooner than this, even when the jitter says 0. */
const MIN_RETRY_MS = 250;

export interface StreamHandlers {
  onEvent(event: DashboardEvent): void;
  onDown(reason: string, retryInMs: number): void;
  onRefused(status: number, message: string): void;
}

/** Watch `relayHttpUrl`'s dashboard until the returned function is called. */
export function watchDashboard(
  relayHttpUrl: string,
  token: string | null,
  handlers: StreamHandlers,
): () => void {
  let stopped = false;
  let attempt = 0;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  async function connect(): Promise<void> {
    controller = new AbortController();
    const aborter = controller;
    let silence: ReturnType<typeof setTimeout> | undefined;
    const resetSilence = () => {
      clearTimeout(silence);
      silence = setTimeout(() => aborter.abort(new Error('no data for 5 s')), SILENCE_MS);
    };
    try {
      resetSilence();
      const res = await fetch(`${relayHttpUrl}${DASHBOARD_STREAM_PATH}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        cache: 'no-store',
        signal: aborter.signal,
      });
      if (res.status === 401 || res.status === 403) {
        const body = (await res.json().catch(() => ({}))) as { error?: string };
        clearTimeout(silence);
        stopped = true;
        handlers.onRefused(res.status, body.error ?? res.statusText);
        return;
      }
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) throw new Error('the relay ended the stream');
        resetSilence();
        for (const { event, data } of parser.push(value)) {
          const parsed = dashboardEvent(event, data);
          if (!parsed) continue;
          // A stream that delivered its history is a success: the next drop starts backoff over.
          if (parsed.type === 'history') attempt = 0;
          handlers.onEvent(parsed);
        }
      }
    } catch (err) {
      clearTimeout(silence);
      if (stopped) return;
      const reason = aborter.signal.aborted
        ? String((aborter.signal.reason as Error | undefined)?.message ?? 'aborted')
        : err instanceof Error
          ? err.message
          : String(err);
      const delay = Math.max(MIN_RETRY_MS, fullJitterDelay(attempt++, BACKOFF));
      handlers.onDown(reason, delay);
      retryTimer = setTimeout(() => void connect(), delay);
    }
  }

  void connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    controller?.abort();
  };
}
