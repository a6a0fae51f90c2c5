/**
 * The delivery worker: takes due deliveries from the store and POSTs them, signed. Each target
 * (webhook) has its own small in-flight limit and every request its own deadline, so a target
 * that hangs or fails only delays its own deliveries. Claims are leases (store.ts), so several
 * relay instances on one store send each delivery once. A failure is retried with exponential
 * backoff (backoff.ts); the worker wakes at the next retry it scheduled, polls for work other
 * instances queued, and is kicked at once when this instance enqueues.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log';
import { nextAttemptAt, type RetryPolicy } from './backoff';
import { postJson, type SendOutcome } from './sender';
import { SIGNATURE_HEADER, signBody } from './signature';
import type { AttemptResult, Delivery, Webhook, WebhookStore } from './store';

export type DeliveryOutcome = 'delivered' | 'retry' | 'failed';

export interface DispatcherOptions {
  readonly store: WebhookStore;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  /** Deadline of one request (connect to end of response). */
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  /** How often to look for due deliveries nobody kicked this instance for. */
  readonly pollMs: number;
  /** Requests in flight per webhook at most. */
  readonly perTarget: number;
  /** Finished deliveries are deleted this long after their last attempt. */
  readonly keepMs: number;
  /** Told of every attempt's outcome and duration (metrics). */
  readonly onAttempt?: (outcome: DeliveryOutcome, seconds: number) => void;
  readonly now?: () => number;
}

const USER_AGENT = 'coedit-webhooks/1';
const WAKE_SLACK_MS = 5;
/** How often finished deliveries older than `keepMs` are deleted. */
const PRUNE_EVERY_MS = 3_600_000;

export class Dispatcher {
  /** This instance's name on the leases it takes. */
  private readonly owner = randomUUID();
  private readonly inFlight = new Map<string, number>();
  private readonly sends = new Set<Promise<void>>();
  private readonly aborter = new AbortController();
  private readonly wakeTimers = new Set<NodeJS.Timeout>();
  private pollTimer: NodeJS.Timeout | null = null;
  private cycle: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private lastPrune = 0;
  private readonly now: () => number;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Start polling, and send whatever is due now (deliveries queued before a restart). */
  start(): void {
    if (this.closed || this.pollTimer) return;
    this.pollTimer = setInterval(() => this.kick(), this.options.pollMs);
    this.pollTimer.unref();
    this.kick();
  }

  /** Look for due deliveries now (something was enqueued or a target freed up). */
  kick(): void {
    if (this.closed) return;
    if (this.cycle) {
      this.again = true;
      return;
    }
    this.cycle = this.run().finally(() => {
      this.cycle = null;
    });
  }

  /** Stop taking work, abort requests in flight (their deliveries stay due) and wait for them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const timer of this.wakeTimers) clearTimeout(timer);
    this.wakeTimers.clear();
    this.aborter.abort();
    await this.cycle;
    await Promise.allSettled([...this.sends]);
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.claimAndSend();
        await this.maybePrune();
      } catch (err) {
        if (!this.closed) this.options.logger.warn({ err }, 'webhook queue scan failed');
      }
    } while (this.again && !this.closed);
  }

  private async claimAndSend(): Promise<void> {
    const { store, perTarget, timeoutMs } = this.options;
    const now = this.now();
    const due = await store.dueWebhooks(now);
    for (const webhookId of due) {
      const free = perTarget - (this.inFlight.get(webhookId) ?? 0);
      if (free <= 0 || this.closed) continue;
      const webhook = await store.getWebhook(webhookId);
      if (!webhook) continue;
      // Longer than any attempt can take, so a live sender never loses its lease.
      const leaseUntil = now + 2 * timeoutMs + 30_000;
      const claimed = await store.claim(webhookId, now, free, this.owner, leaseUntil);
      for (const delivery of claimed) this.track(webhook, delivery);
    }
  }

  private track(webhook: Webhook, delivery: Delivery): void {
    this.inFlight.set(webhook.id, (this.inFlight.get(webhook.id) ?? 0) + 1);
    const send = this.send(webhook, delivery)
      .catch((err) =>
        this.options.logger.warn({ err, delivery: delivery.id }, 'webhook delivery not recorded'),
      )
      .finally(() => {
        this.sends.delete(send);
        const left = (this.inFlight.get(webhook.id) ?? 1) - 1;
        if (left > 0) this.inFlight.set(webhook.id, left);
        else this.inFlight.delete(webhook.id);
        // A slot freed up: more of this target's deliveries may be waiting.
        this.kick();
      });
    this.sends.add(send);
  }

  private async send(webhook: Webhook, delivery: Delivery): Promise<void> {
    const started = performance.now();
    const outcome = await postJson(
      webhook.url,
      delivery.body,
      {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-coedit-event': delivery.event,
        'x-coedit-delivery': delivery.id,
        'x-coedit-webhook': webhook.id,
        [SIGNATURE_HEADER]: signBody(webhook.secret, delivery.body),
      },
      {
        timeoutMs: this.options.timeoutMs,
        allowPrivate: this.options.allowPrivate,
        signal: this.aborter.signal,
      },
    );
    const result = this.resultOf(delivery, outcome);
    const kind: DeliveryOutcome = result.status === 'pending' ? 'retry' : result.status;
    this.options.onAttempt?.(kind, (performance.now() - started) / 1000);
    this.options.logger[kind === 'delivered' ? 'debug' : 'info'](
      {
        webhook: webhook.id,
        delivery: delivery.id,
        event: delivery.event,
        outcome: kind,
        status: result.responseStatus,
        error: result.error,
      },
      'webhook attempt',
    );
    await this.options.store.recordAttempt(delivery.id, this.owner, result);
    if (result.status === 'pending') this.wakeAt(result.dueAt);
  }

  private resultOf(delivery: Delivery, outcome: SendOutcome): AttemptResult {
    const at = this.now();
    if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
      return { at, status: 'delivered', dueAt: at, responseStatus: outcome.status, error: null };
    }
    const responseStatus = outcome.kind === 'response' ? outcome.status : null;
    const error = outcome.kind === 'response' ? `HTTP ${outcome.status}` : outcome.error;
    if (this.closed) {
      // Cut short by shutdown: due again at once, for whichever instance runs next.
      return { at, status: 'pending', dueAt: at, responseStatus, error };
    }
    const next =
      outcome.kind === 'refused'
        ? null
        : nextAttemptAt(this.options.retry, delivery.attempts + 1, delivery.createdAt, at);
    return next === null
      ? { at, status: 'failed', dueAt: at, responseStatus, error }
      : { at, status: 'pending', dueAt: next, responseStatus, error };
  }

  /** Kick when a retry this instance scheduled comes due (sooner than the next poll). */
  private wakeAt(at: number): void {
    if (this.closed) return;
    const timer = setTimeout(
      () => {
        this.wakeTimers.delete(timer);
        this.kick();
      },
      // A timer may fire a millisecond before Date.now() reaches `at`: a little late is due.
      Math.max(0, at - this.now()) + WAKE_SLACK_MS,
    );
    timer.unref();
    this.wakeTimers.add(timer);
  }

  private async maybePrune(): Promise<void> {
    const now = this.now();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    await this.options.store.prune(now - this.options.keepMs);
  }
}
