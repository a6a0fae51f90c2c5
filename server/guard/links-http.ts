/**
 * The relay's share-link routes, used by the app's Share dialog:
 *
 *   GET  /rooms/<room>/links                   working links (one edit + one view made if none)
 *   POST /rooms/<room>/links   {"role":"view"} a new link
 *   POST /rooms/<room>/links/<linkId>/revoke   revoke durably; its sockets close with 4403
 *
 * Every call needs `Authorization: Bearer <edit token of that room>` (401 otherwise, 403 for a
 * view token). Only a relay with a secret has links (404 otherwise).
 */
import type { IncomingMessage } from 'node:http';
import { generateLinkId, isValidLinkId, type Role, signToken } from '../../lib/token';
import { bearerToken } from '../http/auth';
import { readJsonObject } from '../http/body';
import { HttpError } from '../http/http-error';
import type { Route } from '../http/router';
import type { Logger } from '../log';
import type { LinkRecord, LinkStore } from '../storage/links';
import type { Access, Grant } from './access';

const MAX_BODY_BYTES = 4096;

export interface LinksRoutesDeps {
  readonly access: Access;
  readonly secret: string | undefined;
  readonly logger: Logger;
}

export function linksRoutes(deps: LinksRoutesDeps): Route[] {
  const { access, secret } = deps;
  /** The edit link the caller manages links with, the store and the secret. */
  const editor = async (req: IncomingMessage, room: string) => {
    if (!secret || !access.links)
      throw new HttpError(404, 'not-found', 'this relay has no share links');
    const admitted = await access.admit(room, bearerToken(req));
    if (!admitted.ok) throw new HttpError(401, 'unauthorized', `token ${admitted.reason}`);
    const grant: Grant = admitted.grant;
    if (grant.role !== 'edit' || grant.linkId === null) {
      throw new HttpError(403, 'forbidden', 'only an edit link can manage links');
    }
    return { links: access.links as LinkStore, secret, linkId: grant.linkId };
  };
  return [
    {
      method: 'GET',
      path: '/rooms/:room/links',
      name: 'links.list',
      access: 'anyone',
      async handle({ req, room, send }) {
        const { links, secret, linkId } = await editor(req, room);
        await links.record(room, linkId, 'edit');
        let active = (await links.list(room)).filter((l) => l.revokedAt === null);
        for (const role of ['edit', 'view'] as const) {
          if (!active.some((l) => l.role === role))
            await links.record(room, generateLinkId(), role);
        }
        active = (await links.list(room)).filter((l) => l.revokedAt === null);
        const out = await Promise.all(active.map((l) => withToken(secret, l)));
        send(200, { links: out.filter((l) => l !== null) });
      },
    },
    {
      method: 'POST',
      path: '/rooms/:room/links',
      name: 'links.create',
      access: 'anyone',
      async handle({ req, room, send }) {
        const { links, secret } = await editor(req, room);
        const { role } = await readJsonObject(req, MAX_BODY_BYTES);
        if (role !== 'edit' && role !== 'view') {
          throw new HttpError(400, 'bad-request', 'role: edit or view');
        }
        const linkId = generateLinkId();
        await links.record(room, linkId, role);
        const created = await withToken(secret, { room, linkId, role, createdAt: Date.now() });
        send(201, { link: created });
      },
    },
    {
      method: 'POST',
      path: '/rooms/:room/links/:link/revoke',
      name: 'links.revoke',
      access: 'anyone',
      async handle({ req, room, params, send }) {
        const revokeId = params.link as string;
        await editor(req, room);
        if (!isValidLinkId(revokeId)) throw new HttpError(400, 'bad-request', 'invalid link id');
        const closed = await access.revoke(room, revokeId);
        deps.logger.info({ room, linkId: revokeId, closed }, 'link revoked');
        send(200, { revoked: revokeId, closedConnections: closed });
      },
    },
  ];
}

async function withToken(
  secret: string,
  link: Pick<LinkRecord, 'room' | 'linkId' | 'role' | 'createdAt'>,
): Promise<{ linkId: string; role: Role; createdAt: number; token: string } | null> {
  if (link.role === null) return null;
  const token = await signToken(secret, { room: link.room, role: link.role, linkId: link.linkId });
  return { linkId: link.linkId, role: link.role, createdAt: link.createdAt, token };
}
