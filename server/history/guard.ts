/**
 * THE access check of the version-history HTTP API: every route goes through
 * `authorizeHistoryRequest`, which applies exactly the rule of the room's socket (server/access.ts):
 * on a relay with a secret, the request needs a valid, unrevoked share token for that room in the
 * same query parameter the socket uses (the app sends the socket's query parameters along).
 * A 'view' token may list and read versions; saving one needs 'edit'; an admin token
 * (`npm run token -- --admin`) may do all. `Authorization: Bearer` is accepted too, as the
 * share-link API does.
 */
import type { IncomingMessage } from 'node:http';
import { RELAY_TOKEN_PARAM } from '../../lib/token';
import type { Access } from '../access';
import { bearerToken } from '../http-json';

export type HistoryAccess =
  | { readonly ok: true; readonly canWrite: boolean }
  | { readonly ok: false; readonly status: 401 | 403; readonly error: string };

export type HistoryAuthorizer = (
  req: IncomingMessage,
  roomId: string,
  query: URLSearchParams,
) => Promise<HistoryAccess>;

export function authorizeHistoryRequest(access: Pick<Access, 'admitApi'>): HistoryAuthorizer {
  return async (req, roomId, query) => {
    const admission = await access.admitApi(
      roomId,
      query.get(RELAY_TOKEN_PARAM) ?? bearerToken(req),
    );
    if (!admission.ok)
      return { ok: false, status: 401, error: `unauthorized (${admission.reason})` };
    return { ok: true, canWrite: admission.grant.role === 'edit' };
  };
}
