import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Request header naming the test user a connection belongs to (set per browser context). */
export const LINK_TAG_HEADER = 'x-coedit-e2e-user';

const HEADER_END = '\r\n\r\n';
const MAX_HEAD_BYTES = 64 * 1024;

/**
 * A TCP pass-through between the browsers and the relay that can cut one user's connections.
 *
 * Why it exists: Playwright's `context.setOffline(true)` fails new requests (WebSocket handshakes
 * included) but leaves an already open WebSocket working, so "going offline" would not disconnect
 * the editor. Each browser context sends {@link LINK_TAG_HEADER} (via `extraHTTPHeaders`, which
 * Chromium also puts on WebSocket handshakes); `cut(tag)` resets that user's TCP connections and
 * refuses new ones until `restore(tag)`, exactly like a dropped network. Everything else is
 * forwarded byte for byte, so the browser's real WebSocket talks to the real relay.
 */
export class NetworkLink {
  readonly #server: Server;
  readonly #open = new Map<string, Set<Socket>>();
  readonly #cut = new Set<string>();

  private constructor(
    server: Server,
    readonly port: number,
  ) {
    this.#server = server;
  }

  /** Listen on a free port and forward to `target` (read on every connection, so it can move). */
  static async start(target: () => { host: string; port: number }): Promise<NetworkLink> {
    let link: NetworkLink | undefined;
    const server = createServer((client) => link?.accept(client, target()));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('link has no port');
    link = new NetworkLink(server, address.port);
    return link;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Drop every connection of `tag` (TCP reset) and refuse its new ones until `restore`. */
  cut(tag: string): void {
    this.#cut.add(tag);
    for (const socket of this.#open.get(tag) ?? []) socket.resetAndDestroy();
  }

  restore(tag: string): void {
    this.#cut.delete(tag);
  }

  /** Number of open connections of `tag` (client side), for assertions and debugging. */
  openConnections(tag: string): number {
    return this.#open.get(tag)?.size ?? 0;
  }

  async close(): Promise<void> {
    for (const sockets of this.#open.values()) for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Read the request head to learn the tag, then splice the client to a fresh upstream socket. */
  private accept(client: Socket, target: { host: string; port: number }): void {
    let head = Buffer.alloc(0);
    client.on('error', () => client.destroy());
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf(HEADER_END);
      if (end === -1 && head.length < MAX_HEAD_BYTES) return;
      client.off('data', onData);
      client.pause();
      const tag = readTag(head.subarray(0, end === -1 ? head.length : end).toString('latin1'));
      if (this.#cut.has(tag)) return client.resetAndDestroy();
      this.splice(client, head, tag, target);
    };
    client.on('data', onData);
  }

  private splice(
    client: Socket,
    head: Buffer,
    tag: string,
    target: { host: string; port: number },
  ): void {
    const upstream = createConnection(target);
    const sockets = this.#open.get(tag) ?? new Set<Socket>();
    this.#open.set(tag, sockets);
    sockets.add(client);
    // An error or reset on one side resets the other (what a browser sees when the relay dies or
    // the network goes away); a clean end is passed on by pipe(), so close frames still arrive.
    upstream.on('error', () => client.resetAndDestroy());
    client.on('error', () => upstream.resetAndDestroy());
    client.on('close', () => {
      sockets.delete(client);
      if (this.#cut.has(tag)) upstream.resetAndDestroy();
      else upstream.end();
    });
    upstream.on('close', () => client.end());
    upstream.once('connect', () => {
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }
}

function readTag(head: string): string {
  const prefix = `${LINK_TAG_HEADER}:`;
  for (const line of head.split('\r\n')) {
    if (line.toLowerCase().startsWith(prefix)) return line.slice(prefix.length).trim();
  }
  return '';
}
