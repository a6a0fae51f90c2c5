/**
 * Who wrote with which Yjs client id, as the relay vouches for it (GET /rooms/<room>/authors,
 * server/authorship/), with names and colours made live by presence: an author who is here now
 * shows the name and colour they announce now, on all their earlier text too; one who is not
 * shows what the relay last stored. A client id nobody knows yet (someone new just typed) asks
 * the relay again, at most once per REFRESH_MS. The last answer is kept beside the local copy of
 * the document, so offline (and before the relay answers) the colours are those of last time.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { WebsocketProvider } from 'y-websocket';
import { shownUser } from '../../../../lib/presence';
import { accessQuery, httpBaseOf } from '../history-api';
import { Store } from '../store';

export interface ShownAuthor {
  /** The relay's author id ('self' for this page before the relay has answered). */
  readonly id: string;
  readonly name: string;
  readonly color: string;
}

interface DirectoryJson {
  readonly authors: { id: string; name: string | null; color: string | null }[];
  readonly clients: Record<string, string>;
}

/** Where the last answer is kept (beside the local copy of the document), for offline use. */
export interface DirectoryCache {
  get(): Promise<unknown>;
  set(value: DirectoryJson): Promise<unknown>;
}

const isDirectoryJson = (value: unknown): value is DirectoryJson =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as DirectoryJson).authors) &&
  typeof (value as DirectoryJson).clients === 'object' &&
  (value as DirectoryJson).clients !== null;

const REFRESH_MS = 1000;
const UNKNOWN_COLOR = '#8a8a8a';

export class AuthorDirectory {
  /** Bumped whenever what `authorOf` answers may have changed. */
  readonly version = new Store(0);
  private clients = new Map<number, string>();
  private stored = new Map<string, { name: string | null; color: string | null }>();
  /** Authors present now, by author id: their announced user. */
  private live = new Map<string, ShownAuthor>();
  private readonly url: string;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private lastRefresh = Number.NEGATIVE_INFINITY;
  private disposed = false;
  /** The relay has answered (a cached answer no longer applies). */
  private answered = false;

  constructor(
    provider: Pick<WebsocketProvider, 'serverUrl' | 'params'>,
    room: string,
    private readonly awareness: Awareness,
    private readonly cache: DirectoryCache | null = null,
  ) {
    this.url = `${httpBaseOf(provider.serverUrl)}/rooms/${encodeURIComponent(room)}/authors${accessQuery(provider)}`;
    awareness.on('change', this.onPresence);
    // Offline, or until the relay answers: what it said last time on this device.
    cache
      ?.get()
      .then((cached) => {
        if (!this.answered && !this.disposed && isDirectoryJson(cached)) this.take(cached);
      })
      .catch(() => {});
    this.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.awareness.off('change', this.onPresence);
    if (this.refreshTimer !== null) clearTimeout(this.refreshTimer);
  }

  /** The author of text written with `clientId`; null while unknown (a refresh is on its way). */
  authorOf(clientId: number): ShownAuthor | null {
    if (clientId === this.awareness.clientID) return this.live.get('self') ?? this.selfAuthor();
    const authorId = this.clients.get(clientId);
    if (authorId === undefined) this.refreshSoon();
    // The session that wrote it is here: it says who it is now.
    const present = this.presentUser(clientId);
    if (present) return { id: authorId ?? `client-${clientId}`, ...present };
    if (authorId === undefined) return null;
    const live = this.live.get(authorId);
    if (live) return live;
    const stored = this.stored.get(authorId);
    return {
      id: authorId,
      name: stored?.name ?? 'Unknown author',
      color: stored?.color ?? UNKNOWN_COLOR,
    };
  }

  /**
   * Every author of the document the relay knows (with live names for those here), yourself
   * first, for the legend.
   */
  legend(): (ShownAuthor & { readonly self: boolean })[] {
    const selfId = this.clients.get(this.awareness.clientID);
    const self = { ...(this.live.get('self') ?? this.selfAuthor()), self: true };
    const others = [...this.stored]
      .filter(([id]) => id !== selfId)
      .map(([id, stored]) => {
        const live = this.live.get(id);
        return {
          id,
          name: live?.name ?? stored.name ?? 'Unknown author',
          color: live?.color ?? stored.color ?? UNKNOWN_COLOR,
          self: false,
        };
      });
    return [self, ...others];
  }

  /** Whether `clientId` writes as you (this page, or another of your sessions on this device). */
  isMine(clientId: number): boolean {
    if (clientId === this.awareness.clientID) return true;
    const author = this.clients.get(clientId);
    if (author === undefined) this.refreshSoon();
    return author !== undefined && author === this.clients.get(this.awareness.clientID);
  }

  /** Ask the relay again (soon, and not more often than every REFRESH_MS). */
  refreshSoon(): void {
    if (this.refreshTimer !== null || this.disposed) return;
    const wait = Math.max(0, this.lastRefresh + REFRESH_MS - performance.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.refresh();
    }, wait);
  }

  private refresh(): void {
    this.lastRefresh = performance.now();
    fetch(this.url)
      .then((res) => (res.ok ? (res.json() as Promise<unknown>) : null))
      .then((body) => {
        if (!isDirectoryJson(body) || this.disposed) return;
        this.answered = true;
        this.take(body);
        this.cache?.set(body).catch(() => {});
      })
      .catch(() => {
        // Offline or an older relay: the marks stay, uncoloured, until the next refresh.
      });
  }

  private take(body: DirectoryJson): void {
    this.clients = new Map(Object.entries(body.clients).map(([id, a]) => [Number(id), a]));
    this.stored = new Map(body.authors.map((a) => [a.id, { name: a.name, color: a.color }]));
    this.updateLive();
    this.bump();
  }

  private selfAuthor(): ShownAuthor {
    const user = shownUser(this.awareness.getLocalState()?.user);
    return { id: 'self', name: user.name || 'You', color: user.color };
  }

  private presentUser(clientId: number): { name: string; color: string } | null {
    const state = this.awareness.getStates().get(clientId);
    if (!state) return null;
    const user = shownUser(state.user);
    return { name: user.name || 'Anonymous', color: user.color };
  }

  private readonly onPresence = (change?: { removed: number[] }): void => {
    if (this.updateLive()) this.bump();
    // Someone left: what the relay stored for them (a rename) is what shows from now on.
    if (change && change.removed.length > 0) this.refreshSoon();
  };

  /** Recompute the authors present now; true if any name or colour changed. */
  private updateLive(): boolean {
    const live = new Map<string, ShownAuthor>([['self', this.selfAuthor()]]);
    for (const clientId of this.awareness.getStates().keys()) {
      const authorId = this.clients.get(clientId);
      const user = this.presentUser(clientId);
      if (authorId !== undefined && user) live.set(authorId, { id: authorId, ...user });
    }
    // Who left keeps what they last announced until the relay answers again: it stored the
    // same rename, but offline (the usual reason everyone "leaves") its answer is out of reach.
    for (const [id, before] of this.live) {
      if (id !== 'self' && !live.has(id)) {
        this.stored.set(id, { name: before.name, color: before.color });
      }
    }
    const same =
      live.size === this.live.size &&
      [...live].every(([id, a]) => {
        const b = this.live.get(id);
        return b && b.name === a.name && b.color === a.color;
      });
    this.live = live;
    return !same;
  }

  private bump(): void {
    this.version.set(this.version.get() + 1);
  }
}
