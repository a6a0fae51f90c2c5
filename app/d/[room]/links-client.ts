import type { Role } from '../../../lib/token';

/** One working share link of a room, as the relay lists it. */
export interface ShareLink {
  readonly linkId: string;
  readonly role: Role;
  readonly createdAt: number;
  readonly token: string;
}

/** The relay's HTTP base for a ws(s) relay URL: same host, port and path prefix. */
export function relayHttpBase(relayUrl: string): string {
  return relayUrl.replace(/^ws/i, 'http').replace(/\/+$/, '');
}

/**
 * The relay's link endpoints (see README "Security model"). Every call carries the caller's edit
 * token as a bearer token; the relay answers 401/403 for anything else.
 */
export class LinksClient {
  constructor(
    private readonly relayUrl: string,
    private readonly room: string,
    private readonly token: string,
  ) {}

  /** Working links of the room; the relay makes sure one edit and one view link exist. */
  async list(): Promise<ShareLink[]> {
    const body = await this.call('GET', '');
    return (body as { links: ShareLink[] }).links;
  }

  async create(role: Role): Promise<ShareLink> {
    const body = await this.call('POST', '', { role });
    return (body as { link: ShareLink }).link;
  }

  async revoke(linkId: string): Promise<void> {
    await this.call('POST', `/${encodeURIComponent(linkId)}/revoke`);
  }

  private async call(method: string, path: string, json?: unknown): Promise<unknown> {
    const url = `${relayHttpBase(this.relayUrl)}/rooms/${this.room}/links${path}`;
    const response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new Error(text.trim() || `The server answered ${response.status}.`);
    }
    return response.json();
  }
}
