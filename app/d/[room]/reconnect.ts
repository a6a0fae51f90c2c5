import type { WebsocketProvider } from 'y-websocket';
import { type BackoffPolicy, DEFAULT_BACKOFF, fullJitterDelay } from '../../../lib/backoff';
import { describeCloseCode } from '../../../lib/close-codes';

/**
 * Replaces WebsocketProvider's reconnect schedule (plain exponential, no jitter) with full-jitter
 * backoff. On every unintended close we set `provider.shouldConnect = false`, which turns the
 * provider's own scheduled retry into a no-op, and call `provider.connect()` ourselves after a
 * random delay. Fatal closes are left to the provider: its `shouldReconnect` says no and it emits
 * `closed`. The attempt counter resets once a connection has synced.
 */
export class JitteredReconnect {
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {
    provider.on('connection-close', this.onClose);
    provider.on('sync', this.onSync);
  }

  /** Whether a retry is waiting for its timer. */
  get pending(): boolean {
    return this.timer !== null;
  }

  /** Skip the wait (the browser came back online, or the user asked). No-op when stopped. */
  reconnectNow(): void {
    if (this.disposed || this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.provider.connect();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.provider.off('connection-close', this.onClose);
    this.provider.off('sync', this.onSync);
  }

  private readonly onClose = (event: CloseEvent | null): void => {
    // provider.disconnect()/destroy() clear shouldConnect first: nobody wants a connection.
    if (this.disposed || !this.provider.shouldConnect) return;
    if (event && describeCloseCode(event.code).fatal) return;
    this.provider.shouldConnect = false;
    if (this.timer !== null) clearTimeout(this.timer);
    const delay = fullJitterDelay(this.attempt, this.policy);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.disposed) this.provider.connect();
    }, delay);
  };

  private readonly onSync = (synced: boolean): void => {
    if (synced) this.attempt = 0;
  };
}
