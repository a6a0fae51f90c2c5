/**
 * Collects what every party holds once the load has stopped: each client of each room (typists,
 * the flooder, the browsers), a fresh client on each relay instance, and the room as stored in
 * PostgreSQL (read with the project's DocStore, the way a relay starting now would load it).
 */
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { nowMs } from '../bench/clock';
import { DOC_TEXT } from '../lib/doc-schema';
import { openPostgresStore } from '../server/storage/postgres';
import type { BrowserUsers } from './browser-users';
import type { RelayInstance } from './relay-instance';
import type { StateVector } from './state-vectors';
import { sameVector } from './state-vectors';
import type { ClientWorker } from './worker-pool';
import type { RoomDigest } from './worker-protocol';

/** One party's view of one room. */
export interface HeldState {
  readonly holder: string;
  readonly stateVector: StateVector;
  readonly textHash: string;
  readonly textLength: number;
}

export interface RoomStates {
  readonly room: string;
  /** Typists, flooder, browsers. */
  readonly clients: readonly HeldState[];
  /** A fresh client per relay instance. */
  readonly instances: readonly HeldState[];
  readonly stored: HeldState;
}

export const hashText = (text: string): string => createHash('sha1').update(text).digest('hex');

function held(holder: string, doc: Y.Doc): HeldState {
  const text = doc.getText(DOC_TEXT).toString();
  return {
    holder,
    stateVector: Y.decodeStateVector(Y.encodeStateVector(doc)),
    textHash: hashText(text),
    textLength: text.length,
  };
}

function fromDigest(room: RoomDigest): HeldState[] {
  return room.members.map((m) => ({
    holder: m.label,
    stateVector: Y.decodeStateVector(m.stateVector),
    textHash: m.textHash,
    textLength: m.textLength,
  }));
}

function roomConverged(states: readonly HeldState[]): boolean {
  const [first, ...rest] = states;
  return (
    first !== undefined &&
    rest.every((s) => s.textHash === first.textHash && sameVector(s.stateVector, first.stateVector))
  );
}

/**
 * Poll every client until each room agrees (text and state vector), or `timeoutMs` passes;
 * returns the last view either way (the verdict names what disagrees).
 */
export async function settleClients(
  workers: readonly ClientWorker[],
  browsers: { users: BrowserUsers; room: string } | null,
  timeoutMs: number,
): Promise<{ byRoom: Map<string, HeldState[]>; converged: boolean; waitedMs: number }> {
  const started = nowMs();
  for (;;) {
    const byRoom = new Map<string, HeldState[]>();
    for (const digests of await Promise.all(workers.map((w) => w.call({ op: 'digest' })))) {
      for (const room of digests) {
        byRoom.set(room.room, [...(byRoom.get(room.room) ?? []), ...fromDigest(room)]);
      }
    }
    if (browsers) {
      const texts = await browsers.users.texts();
      const states = byRoom.get(browsers.room) ?? [];
      const reference = states[0]?.stateVector ?? new Map<number, number>();
      texts.forEach((text, i) => {
        // A browser's state vector is not exposed: its text must match and it must be saved.
        states.push({
          holder: `browser ${i}`,
          stateVector: reference,
          textHash: hashText(text),
          textLength: text.length,
        });
      });
      byRoom.set(browsers.room, states);
    }
    const converged = [...byRoom.values()].every(roomConverged);
    const waitedMs = nowMs() - started;
    if (converged || waitedMs > timeoutMs) return { byRoom, converged, waitedMs };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A fresh y-websocket client straight to `instance` (no balancer): what it serves for `room`. */
export async function readFromInstance(
  instance: RelayInstance,
  room: string,
  timeoutMs: number,
): Promise<HeldState> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(instance.url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    const deadline = nowMs() + timeoutMs;
    while (!provider.synced) {
      if (nowMs() > deadline)
        throw new Error(`${instance.name}: ${room} not synced in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return held(`fresh client on ${instance.name}`, doc);
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

/** Each room as PostgreSQL holds it (snapshot + log), rebuilt into a document. */
export async function readStored(
  postgresUrl: string,
  rooms: readonly string[],
): Promise<Map<string, HeldState>> {
  const store = await openPostgresStore(postgresUrl);
  try {
    const states = new Map<string, HeldState>();
    for (const room of rooms) {
      const doc = new Y.Doc();
      for (const update of (await store.load(room)).updates) Y.applyUpdate(doc, update);
      states.set(room, held('PostgreSQL', doc));
      doc.destroy();
    }
    return states;
  } finally {
    await store.close();
  }
}
