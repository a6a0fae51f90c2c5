/**
 * The relay's version-history HTTP API, seen from the browser. The relay serves it on the same
 * host and port as its WebSocket, so the base URL is the socket URL with http(s) for ws(s); the
 * socket's query parameters (e.g. an access token) are sent along, so the API is guarded exactly
 * like the room.
 */
import type { WebsocketProvider } from 'y-websocket';
import type { VersionInfo } from '../../../lib/api-client';
import { CLIENT_KEY_PARAM } from '../../../lib/client-key';

export type { VersionInfo };

export class HistoryApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `ws://host:port/prefix` → `http://host:port/prefix`. */
export function httpBaseOf(socketUrl: string): string {
  const url = new URL(socketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.search = '';
  return url.toString().replace(/\/$/, '');
}

/**
 * The socket's query parameters that grant access (the token), as `?…` or '': the relay's HTTP
 * APIs are guarded exactly like the room. The client key proves authorship on the socket only;
 * it never goes into request URLs.
 */
export function accessQuery(provider: Pick<WebsocketProvider, 'params'>): string {
  const params = new URLSearchParams(provider.params);
  params.delete('ack');
  params.delete(CLIENT_KEY_PARAM);
  return params.size > 0 ? `?${params}` : '';
}

export class HistoryApi {
  private readonly base: string;
  private readonly query: string;

  constructor(
    provider: Pick<WebsocketProvider, 'serverUrl' | 'params'>,
    private readonly room: string,
  ) {
    this.base = httpBaseOf(provider.serverUrl);
    this.query = accessQuery(provider);
  }

  /** Newest first. */
  async list(): Promise<VersionInfo[]> {
    const body = await this.request<{ versions: VersionInfo[] }>('GET', '');
    return body.versions.slice().reverse();
  }

  async text(id: string): Promise<string> {
    const body = await this.request<{ text: string }>('GET', `/${encodeURIComponent(id)}`);
    return body.text;
  }

  async save(name: string, author: string): Promise<VersionInfo> {
    const body = await this.request<{ version: VersionInfo }>('POST', '', { name, author });
    return body.version;
  }

  private async request<T>(method: string, path: string, json?: unknown): Promise<T> {
    const url = `${this.base}/rooms/${encodeURIComponent(this.room)}/versions${path}${this.query}`;
    const response = await fetch(url, {
      method,
      ...(json === undefined
        ? {}
        : { body: JSON.stringify(json), headers: { 'content-type': 'application/json' } }),
    });
    const body = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) {
      throw new HistoryApiError(response.status, body.error ?? `HTTP ${response.status}`);
    }
    return body as T;
  }
}
