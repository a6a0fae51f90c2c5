/**
 * The webhooks of one relay, wired in one place so relay.ts needs a few lines: the events
 * (for callers such as document deletion), the room hooks that report document.updated, the
 * version-history observer, the dispatcher and the HTTP handler. `close` after the rooms were
 * closed (their pending reports are queued by then).
 */
import type { Config } from '../config';
import { readContents } from '../doc-contents';
import type { RoomLifecycleHooks } from '../history/relay-hooks';
import type { VersionHistory } from '../history/service';
import type { Route } from '../http/router';
import type { Logger } from '../log';
import type { RelayMetrics } from '../metrics';
import type { AuthorStore } from '../storage/authors';
import { DEFAULT_RETRY } from './backoff';
import { Dispatcher } from './dispatcher';
import { createWebhookEvents, type WebhookEvents } from './events';
import { webhookRoutes } from './http';
import { watchRooms } from './room-watch';
import type { WebhookStore } from './store';

/** How often each instance looks for deliveries it was not kicked for (other instances', retries). */
const POLL_MS = 1000;
/** Requests in flight to one webhook at most. */
const PER_TARGET = 4;
/** Finished deliveries stay in the log this long. */
const KEEP_MS = 7 * 24 * 3_600_000;

export type WebhookConfig = Pick<
  Config,
  | 'webhookAllowPrivate'
  | 'webhookDebounceMs'
  | 'webhookMaxWaitMs'
  | 'webhookTimeoutMs'
  | 'webhookRetryBaseMs'
>;

export interface RelayWebhooks {
  readonly events: WebhookEvents;
  readonly roomHooks: RoomLifecycleHooks;
  /** Report the versions `history` saves as version.created. */
  observe(history: VersionHistory): void;
  /** The webhook admin routes (http.ts). */
  routes(): Route[];
  /** Stop sending (requests in flight are aborted and stay queued). The store stays open. */
  close(): Promise<void>;
}

export function createRelayWebhooks(options: {
  readonly store: WebhookStore;
  readonly config: WebhookConfig;
  readonly logger: Logger;
  readonly metrics?: RelayMetrics;
  readonly authors?: AuthorStore;
}): RelayWebhooks {
  const { store, config, logger, metrics } = options;
  const dispatcher = new Dispatcher({
    store,
    logger,
    retry: { ...DEFAULT_RETRY, baseMs: config.webhookRetryBaseMs },
    timeoutMs: config.webhookTimeoutMs,
    allowPrivate: config.webhookAllowPrivate,
    pollMs: POLL_MS,
    perTarget: PER_TARGET,
    keepMs: KEEP_MS,
    ...(metrics ? { onAttempt: (outcome) => metrics.webhookAttempted(outcome) } : {}),
  });
  const events = createWebhookEvents({
    store,
    logger,
    queued: () => dispatcher.kick(),
    ...(metrics ? { onEvent: (event) => metrics.webhookEvent(event) } : {}),
  });
  const watch = watchRooms({
    events,
    debounceMs: config.webhookDebounceMs,
    maxWaitMs: config.webhookMaxWaitMs,
    logger,
    ...(options.authors ? { authors: options.authors } : {}),
  });
  const unobserve: (() => void)[] = [];
  /** Reports not queued yet; close waits for them so none writes to a closed store. */
  const reporting = new Set<Promise<void>>();
  dispatcher.start();

  return {
    events,
    roomHooks: watch,
    observe(history) {
      unobserve.push(
        history.onVersionSaved((room, meta) => {
          let title = '';
          try {
            title = readContents([room.fullState()]).title;
          } catch {}
          const report = events.versionCreated(room.id, title, meta).finally(() => {
            reporting.delete(report);
          });
          reporting.add(report);
        }),
      );
    },
    routes: () => webhookRoutes({ store, allowPrivate: config.webhookAllowPrivate, logger }),
    async close() {
      for (const stop of unobserve.splice(0)) stop();
      watch.close();
      await Promise.allSettled([...reporting]);
      await dispatcher.close();
    },
  };
}

/** Several rooms' lifecycle hooks as one (history and webhooks both watch rooms). */
export function allRoomHooks(
  ...hooks: (RoomLifecycleHooks | undefined)[]
): RoomLifecycleHooks | undefined {
  const present = hooks.filter((h): h is RoomLifecycleHooks => h !== undefined);
  if (present.length <= 1) return present[0];
  return {
    loaded: (room) => {
      for (const h of present) h.loaded(room);
    },
    unloading: async (room) => {
      for (const h of present) await h.unloading(room);
    },
    broken: (room) => {
      for (const h of present) h.broken(room);
    },
  };
}
