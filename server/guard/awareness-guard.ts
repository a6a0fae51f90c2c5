/**
 * Awareness from clients, checked and stamped before the room applies and relays it.
 *
 * Rules (README "Security model"):
 * - A client id belongs to the open connection that first announced it. Another connection may
 *   take it over only when it holds the same link (a reconnect of the same capability holder);
 *   on an open relay (no links) never. So nobody moves, renames or removes someone else's cursor.
 * - A connection announces at most `maxIdsPerConnection` client ids and each state is at most
 *   `maxStateBytes` of JSON: an awareness flood cannot grow the room without bound.
 * - Every state that is an object gets `relay: { conn, role }` written by the server, replacing
 *   whatever the client put there, so peers can tell who sent it and with which rights.
 * - Its `user` keeps only a well-formed `name`, `color` and `colorLight` (lib/presence.ts): other
 *   pages show them, so a colour like `red; position: fixed` or a 10,000-character name never
 *   reaches them. The frame is not refused for it (an unmodified client's cursor keeps working);
 *   the verdict lists what was dropped, for /metrics.
 * A refused frame is dropped whole (the sender's next periodic update may pass).
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { type DroppedPresenceField, sanitizeUser } from '../../lib/presence';
import type { Role } from '../../lib/token';

export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  /** The JSON text of the state; 'null' removes the client. */
  readonly json: string;
}

/** Parse `[count]([clientId][clock][json])*`; throws on truncated or trailing bytes. */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  // Each entry takes at least 3 bytes: a count beyond that is a lie, not an allocation hint.
  if (count > update.length) throw new RangeError('awareness entry count exceeds frame');
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarString(decoder);
    entries.push({ clientId, clock, json });
  }
  if (decoder.pos !== update.length) throw new RangeError('trailing bytes after awareness');
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.json);
  }
  return encoding.toUint8Array(encoder);
}

/** What the guard needs to know about a connection. */
export interface AwarenessPeer {
  readonly id: number;
  readonly awarenessIds: Set<number>;
  readonly isOpen: boolean;
  /** Its client key's hash, if it sent one (authorship/writer.ts). */
  readonly writer?: { readonly keyHash: string | null };
}

export interface AwarenessLimits {
  readonly maxIdsPerConnection: number;
  readonly maxStateBytes: number;
}

export type AwarenessVerdict =
  | {
      readonly ok: true;
      readonly update: Uint8Array;
      /** Fields of `user` that were dropped from the states, one entry each (usually none). */
      readonly dropped: readonly DroppedPresenceField[];
    }
  | { readonly ok: false; readonly reason: 'spoof' | 'too-many-ids' | 'state-too-big' | 'bad' };

/**
 * Check `update` from `conn` against the other connections of its room and return the stamped
 * update to apply and relay. `sameHolder(a, b)` says whether two connections hold the same link.
 * On success, ids taken over from a same-link connection move to `conn`.
 */
export function guardAwareness(
  update: Uint8Array,
  conn: AwarenessPeer,
  stamp: { role: Role },
  others: Iterable<AwarenessPeer>,
  sameHolder: (a: AwarenessPeer, b: AwarenessPeer) => boolean,
  limits: AwarenessLimits,
): AwarenessVerdict {
  let entries: AwarenessEntry[];
  try {
    entries = decodeAwarenessEntries(update);
  } catch {
    return { ok: false, reason: 'bad' };
  }
  const owners = new Map<number, AwarenessPeer>();
  for (const other of others) {
    if (other === conn || !other.isOpen) continue;
    for (const id of other.awarenessIds) owners.set(id, other);
  }
  const takeovers: [number, AwarenessPeer][] = [];
  let newIds = 0;
  const stamped: AwarenessEntry[] = [];
  let dropped: readonly DroppedPresenceField[] = NOTHING_DROPPED;
  for (const entry of entries) {
    const owner = owners.get(entry.clientId);
    if (owner) {
      if (!sameHolder(owner, conn)) return { ok: false, reason: 'spoof' };
      takeovers.push([entry.clientId, owner]);
    }
    if (!conn.awarenessIds.has(entry.clientId) && entry.json !== 'null') newIds++;
    if (entry.json.length > limits.maxStateBytes) return { ok: false, reason: 'state-too-big' };
    const state = stampState(entry.json, conn.id, stamp.role);
    if (state === null) return { ok: false, reason: 'bad' };
    if (state.dropped.length > 0) dropped = [...dropped, ...state.dropped];
    stamped.push({ ...entry, json: state.json });
  }
  if (conn.awarenessIds.size + newIds > limits.maxIdsPerConnection) {
    return { ok: false, reason: 'too-many-ids' };
  }
  for (const [id, owner] of takeovers) {
    owner.awarenessIds.delete(id);
    conn.awarenessIds.add(id);
  }
  return { ok: true, update: encodeAwarenessEntries(stamped), dropped };
}

/**
 * Deepest nesting a state may have. JSON.parse accepts any depth, but JSON.stringify overflows
 * the stack around 5,000 levels, and the room stringifies every state for each late joiner.
 */
const MAX_STATE_DEPTH = 32;

const NOTHING_DROPPED: readonly DroppedPresenceField[] = [];

/**
 * The state with the server's `relay` field and its `user` sanitized, and what sanitizing
 * dropped; null if the JSON does not parse or nests too deep.
 */
function stampState(
  json: string,
  conn: number,
  role: Role,
): { json: string; dropped: readonly DroppedPresenceField[] } | null {
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    return null;
  }
  if (!withinDepth(state, MAX_STATE_DEPTH)) return null;
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    return { json, dropped: NOTHING_DROPPED };
  }
  const stamped: Record<string, unknown> = { ...state, relay: { conn, role } };
  let dropped = NOTHING_DROPPED;
  if ('user' in stamped) {
    const sanitized = sanitizeUser(stamped.user);
    dropped = sanitized.dropped;
    if (sanitized.user === undefined) delete stamped.user;
    else stamped.user = sanitized.user;
  }
  return { json: JSON.stringify(stamped), dropped };
}

/** Iterative, so a hostile depth cannot overflow the stack here either. */
function withinDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return false;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return true;
}
