/**
 * Who is calling the relay's HTTP routes, by the same rule as its sockets (access.ts): on a
 * relay with a secret a share token of the room (view reads, edit writes) or an admin token
 * (every room, and the admin routes); an open relay lets anyone do anything, as its socket
 * does. The token comes as `Authorization: Bearer`, or in the socket's query parameter (the app
 * sends that one along to the versions and images routes).
 */
import type { IncomingMessage } from 'node:http';
import { RELAY_TOKEN_PARAM } from '../../lib/token';
import type { Access, Grant } from '../guard/access';
import { HttpError } from './http-error';

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
}

/** The caller's token: the Bearer header, else the socket's query parameter. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  return bearerToken(req) ?? url.searchParams.get(RELAY_TOKEN_PARAM);
}

export interface RoomCaller {
  readonly grant: Grant;
  readonly canWrite: boolean;
  readonly admin: boolean;
}

export class RequestAuth {
  constructor(readonly access: Pick<Access, 'secured' | 'isAdmin' | 'admit'>) {}

  /** The caller's rights in `room`; 401 without a valid token, 403 when `need` is 'write'. */
  async room(
    req: IncomingMessage,
    url: URL,
    room: string,
    need: 'read' | 'write',
  ): Promise<RoomCaller> {
    const token = requestToken(req, url);
    let caller: RoomCaller;
    if (await this.access.isAdmin(token)) {
      caller = { grant: { role: 'edit', linkId: null }, canWrite: true, admin: true };
    } else {
      if (this.access.secured && !token) {
        throw new HttpError(401, 'unauthorized', 'a Bearer token is required');
      }
      const admission = await this.access.admit(room, token);
      if (!admission.ok) {
        throw new HttpError(401, 'unauthorized', `token refused (${admission.reason})`);
      }
      const canWrite = admission.grant.role === 'edit';
      caller = { grant: admission.grant, canWrite, admin: !this.access.secured };
    }
    if (need === 'write' && !caller.canWrite) {
      throw new HttpError(403, 'forbidden', 'a view token cannot write');
    }
    return caller;
  }

  /** Pass for an admin token (or on an open relay); else 401 without a token, 403 with one. */
  async admin(req: IncomingMessage, url: URL): Promise<void> {
    if (!this.access.secured) return;
    const token = requestToken(req, url);
    if (!token) throw new HttpError(401, 'unauthorized', 'a Bearer token is required');
    if (!(await this.access.isAdmin(token))) {
      throw new HttpError(403, 'forbidden', 'an admin token is required');
    }
  }
}
