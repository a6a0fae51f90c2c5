import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { DOC_TEXT } from '../lib/doc-schema';

/** A real y-websocket client, as a browser tab would run it, minus the editor. */
export interface Client {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
}

/** Connects `doc` to `room` on the server at `url` (ws://host:port). */
export function connectClient(url: string, room: string, doc = new Y.Doc()): Client {
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return { doc, text: doc.getText(DOC_TEXT), provider };
}

/** Resolves once the provider has finished the sync handshake; rejects after `timeoutMs`. */
export function whenSynced(client: Client, timeoutMs: number): Promise<void> {
  const { provider } = client;
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      provider.off('sync', onSync);
      reject(new Error(`room ${provider.roomname}: not synced within ${timeoutMs} ms`));
    }, timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

/** Resolves once `predicate` holds for the client's text, checked after every remote update. */
export function whenText(
  client: Client,
  predicate: (text: string) => boolean,
  timeoutMs: number,
): Promise<void> {
  if (predicate(client.text.toString())) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.doc.off('update', onUpdate);
      reject(new Error(`text not as expected within ${timeoutMs} ms`));
    }, timeoutMs);
    const onUpdate = () => {
      if (!predicate(client.text.toString())) return;
      clearTimeout(timer);
      client.doc.off('update', onUpdate);
      resolve();
    };
    client.doc.on('update', onUpdate);
  });
}

export function closeClient(client: Client): void {
  client.provider.destroy();
  client.doc.destroy();
}

/**
 * Opens clients with at most `concurrency` handshakes in flight, like users arriving, so the
 * server's accept backlog is not what is measured.
 */
export async function openMany<T>(
  specs: readonly T[],
  open: (spec: T) => Client,
  concurrency: number,
  timeoutMs: number,
): Promise<Client[]> {
  const clients: Client[] = new Array(specs.length);
  let next = 0;
  const lane = async () => {
    while (next < specs.length) {
      const i = next++;
      const client = open(specs[i] as T);
      clients[i] = client;
      await whenSynced(client, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return clients;
}
