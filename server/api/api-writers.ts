/**
 * Who the document API writes as. Each author name (API, or the bounded `X-Coedit-Author`
 * header) has one Yjs client id in this process, bound in each room to an API author before its
 * first edit, so authorship and history show the edit as theirs. The binding's key hash is what
 * no socket's (64 hex digits) can equal: API client ids are the relay's alone.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { normalizeName } from '../../lib/names';
import { HttpError } from '../http/http-error';
import type { AuthorStore } from '../storage/authors';

const API_KEY_HASH = 'relay-api';
const API_COLOR = '#6b7280';

export class ApiWriters {
  private readonly clients = new Map<string, number>();
  private readonly boundIn = new Set<string>();

  constructor(private readonly authors: AuthorStore | undefined) {}

  /** The author a request writes as. */
  nameOf(req: IncomingMessage): string {
    const header = req.headers['x-coedit-author'];
    const name = typeof header === 'string' ? normalizeName(header) : '';
    return name || 'API';
  }

  /** The client id `name` writes with in `room`, bound to its API author first. */
  async clientFor(room: string, name: string): Promise<number> {
    let clientId = this.clients.get(name);
    if (clientId === undefined) {
      clientId = 1 + Math.floor(Math.random() * 0xfffffffe);
      this.clients.set(name, clientId);
    }
    if (this.authors && !this.boundIn.has(`${room}\0${clientId}`)) {
      const authorId = `api-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
      const [inForce] = await this.authors.bind(
        room,
        [{ clientId, authorId, keyHash: API_KEY_HASH }],
        { authorId, name, color: API_COLOR, linkId: null },
      );
      if (inForce?.keyHash !== API_KEY_HASH) {
        // Someone else's id by chance (one in four billion): take another next time.
        this.clients.delete(name);
        throw new HttpError(500, 'internal', 'client id taken, retry');
      }
      this.boundIn.add(`${room}\0${clientId}`);
    }
    return clientId;
  }

  /** Forget a deleted room's bindings (its authors are gone from the store). */
  forgetRoom(room: string): void {
    for (const key of this.boundIn) if (key.startsWith(`${room}\0`)) this.boundIn.delete(key);
  }
}
