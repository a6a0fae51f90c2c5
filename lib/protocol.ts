/**
 * Message types of the y-websocket protocol (the first lib0 varuint of every frame), plus
 * coedit's extensions. Extensions are only ever sent to clients that asked for them.
 */
export const MessageType = {
  /** y-protocols/sync: step 1 (state vector), step 2 (missing updates), update. */
  Sync: 0,
  /** y-protocols/awareness update. */
  Awareness: 1,
  /** y-protocols/auth (permission denied). */
  Auth: 2,
  /** Ask the server for every awareness state it knows (no payload). */
  QueryAwareness: 3,
  /**
   * coedit extension, sent only to connections opened with `?ack=1`:
   * `[varuint 100][varUint8Array stateVector]` where stateVector is `Y.encodeStateVector` of
   * everything the relay has durably stored for the room. Sent once after the handshake and after
   * every storage flush of the room. A client is fully saved when every entry of its own state
   * vector is <= the acknowledged one.
   */
  Ack: 100,
} as const;

/** Query parameter that opts a connection into {@link MessageType.Ack} messages. */
export const ACK_QUERY_PARAM = 'ack';
