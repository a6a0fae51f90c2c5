/**
 * Who may open a room, with which role, and who is connected through which link.
 *
 * With a secret, every upgrade needs a share token (lib/token.ts) for that room whose link is not
 * revoked; without one the relay is open and everyone edits. Connections are indexed by link so
 * revoking a link closes each of its sockets at once (4403).
 */
import { CloseCode } from '../../lib/close-codes';
import { type Role, type TokenFailure, verifyAdminToken, verifyToken } from '../../lib/token';
import type { LinkStore } from '../storage/links';

/** What a connection was granted at the upgrade. */
export interface Grant {
  readonly role: Role;
  /** The link its token belongs to; null on an open relay. */
  readonly linkId: string | null;
}

export type Admission =
  | { readonly ok: true; readonly grant: Grant }
  | {
      readonly ok: false;
      readonly code: typeof CloseCode.Unauthorized;
      readonly reason: TokenFailure | 'revoked';
    };

/** Something that can be closed with a close code (a Connection). */
export interface Closable {
  close(code: number): void;
}

const OPEN_GRANT: Grant = Object.freeze({ role: 'edit', linkId: null });
const ADMIN_GRANT: Grant = Object.freeze({ role: 'edit', linkId: null });

export class Access {
  private readonly byLink = new Map<string, Set<Closable>>();

  constructor(
    private readonly secret: string | undefined,
    readonly links: LinkStore | null,
  ) {
    if (secret !== undefined && !links) throw new Error('a secret needs a LinkStore');
  }

  get secured(): boolean {
    return this.secret !== undefined;
  }

  /** Check the token of an upgrade to `room`; nothing of the room is touched before this. */
  async admit(room: string, token: string | null): Promise<Admission> {
    if (this.secret === undefined) return { ok: true, grant: OPEN_GRANT };
    const result = await verifyToken(this.secret, token, { room });
    if (!result.ok) return { ok: false, code: CloseCode.Unauthorized, reason: result.reason };
    const { role, linkId } = result.claims;
    if (await this.links?.isRevoked(room, linkId)) {
      return { ok: false, code: CloseCode.Unauthorized, reason: 'revoked' };
    }
    return { ok: true, grant: { role, linkId } };
  }

  /**
   * Admission to `room` for an HTTP API request with `token`: an admin token (every room) grants
   * edit, else as {@link admit}.
   */
  async admitApi(room: string, token: string | null): Promise<Admission> {
    if (await this.isAdmin(token)) return { ok: true, grant: ADMIN_GRANT };
    return this.admit(room, token);
  }

  /** Is `token` an admin token of this relay (`npm run token -- --admin`)? False when open. */
  async isAdmin(token: string | null): Promise<boolean> {
    if (this.secret === undefined || !token) return false;
    return (await verifyAdminToken(this.secret, token)).ok;
  }

  /** Index an open connection by its link, for {@link revoke}. */
  track(room: string, grant: Grant, conn: Closable): void {
    if (grant.linkId === null) return;
    const key = linkKey(room, grant.linkId);
    let set = this.byLink.get(key);
    if (!set) {
      set = new Set();
      this.byLink.set(key, set);
    }
    set.add(conn);
  }

  untrack(room: string, grant: Grant, conn: Closable): void {
    if (grant.linkId === null) return;
    const key = linkKey(room, grant.linkId);
    const set = this.byLink.get(key);
    set?.delete(conn);
    if (set?.size === 0) this.byLink.delete(key);
  }

  /**
   * With several relay instances a revoke reaches only the instance that served it; the others
   * learn from the shared LinkStore. Every `intervalMs`, re-check the links of this instance's
   * open sockets and close those revoked elsewhere. Returns a stop function.
   */
  startRevocationSweep(intervalMs: number, onError: (err: unknown) => void): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running || !this.links) return;
      running = true;
      this.sweep().then(
        () => {
          running = false;
        },
        (err: unknown) => {
          running = false;
          onError(err);
        },
      );
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async sweep(): Promise<void> {
    for (const key of [...this.byLink.keys()]) {
      const [room = '', linkId = ''] = key.split('\n');
      if (await this.links?.isRevoked(room, linkId)) this.closeLink(room, linkId);
    }
  }

  /** Revoke durably, then close every socket that used the link with 4403. Returns how many. */
  async revoke(room: string, linkId: string): Promise<number> {
    if (!this.links) throw new Error('no LinkStore');
    await this.links.revoke(room, linkId);
    return this.closeLink(room, linkId);
  }

  private closeLink(room: string, linkId: string): number {
    const set = this.byLink.get(linkKey(room, linkId));
    if (!set) return 0;
    this.byLink.delete(linkKey(room, linkId));
    for (const conn of set) conn.close(CloseCode.Forbidden);
    return set.size;
  }
}

const linkKey = (room: string, linkId: string) => `${room}\n${linkId}`;
