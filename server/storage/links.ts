/**
 * LinkStore: which share links of a room exist and which are revoked. Tokens are stateless
 * (signed claims), so this is the only state behind them: a token is accepted when its signature
 * holds and its link id is not revoked here. Kept apart from DocStore so the two evolve alone;
 * the sqlite and postgres implementations live in the same database as the documents.
 * One contract suite (links.contract.ts) runs against every implementation.
 */
import type { Role } from '../../lib/token';

export interface LinkRecord {
  readonly room: string;
  readonly linkId: string;
  /** null for a link revoked by id before it was ever recorded. */
  readonly role: Role | null;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Milliseconds since the epoch, or null while the link works. */
  readonly revokedAt: number | null;
}

export interface LinkStore {
  /** Remember a link. Idempotent: an existing record (revoked or not) is left unchanged. */
  record(room: string, linkId: string, role: Role): Promise<void>;
  /**
   * Revoke a link durably (recording it if unknown). Resolves true if this call revoked it,
   * false if it already was. A revoked link never works again.
   */
  revoke(room: string, linkId: string): Promise<boolean>;
  isRevoked(room: string, linkId: string): Promise<boolean>;
  /** Every link of `room`, oldest first, revoked ones included. */
  list(room: string): Promise<LinkRecord[]>;
  /** Release resources; later calls fail. Idempotent. */
  close(): Promise<void>;
}
