/**
 * Helpers for tests of a relay started with a secret: signed tokens, y-websocket clients that
 * carry them, and raw frames.
 */

import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';
import { generateLinkId, type Role, signToken, type TokenClaims } from '../../lib/token';
import { encodeAwareness, encodeSyncStep1, encodeSyncUpdate } from '../protocol';
import { connectClient, type TestClient } from './harness';

export const TEST_SECRET = 'relay-test-secret';

export function token(
  room: string,
  role: Role,
  extra: Partial<TokenClaims> & { secret?: string } = {},
): Promise<string> {
  const { secret = TEST_SECRET, ...claims } = extra;
  return signToken(secret, { room, role, linkId: generateLinkId(), ...claims });
}

/** A real y-websocket client with `?token=`; it gives up after a fatal close like the app does. */
export function clientWithToken(url: string, room: string, tokenValue: string | null): TestClient {
  return connectClient(url, room, { token: tokenValue });
}

/** `[sync][update]` for inserting `text` into a fresh doc (a write attempt). */
export function insertFrame(text: string, clientId = 4242): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  doc.getText(DOC_TEXT).insert(0, text);
  return encodeSyncUpdate(Y.encodeStateAsUpdate(doc));
}

export const step1Frame = (): Uint8Array => encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));

/** An awareness frame announcing `state` for `clientId`. */
export function awarenessFrame(
  clientId: number,
  state: Record<string, unknown>,
  clock = 1,
): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new Awareness(doc);
  for (let i = 1; i < clock; i++) awareness.setLocalState({ ...state, i });
  awareness.setLocalState(state);
  const update = encodeAwarenessUpdate(awareness, [clientId]);
  awareness.destroy();
  return encodeAwareness(update);
}
