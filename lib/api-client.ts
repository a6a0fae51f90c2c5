/**
 * A typed client for the relay's document HTTP API v1 (server/api/): what `npm run coedit` and
 * the tests use. Works wherever `fetch` does (Node 20, browsers). Errors come back as
 * ApiClientError with the API's status and code.
 */

export interface CreatedDocument {
  readonly room: string;
  readonly editUrl: string;
  readonly viewUrl: string;
  readonly editToken: string | null;
  readonly viewToken: string | null;
}

export interface DocumentInfo {
  readonly room: string;
  readonly title: string;
  readonly language: string;
  readonly length: number;
  readonly updatedAt: string | null;
  readonly people: number;
}

export interface DocumentSummary {
  readonly room: string;
  readonly title: string;
  readonly length: number;
  readonly bytes: number;
  readonly updatedAt: string | null;
  readonly people: number;
}

export interface DocumentPage {
  readonly documents: readonly DocumentSummary[];
  /** Pass as `after` for the next page; null after the last. */
  readonly next: string | null;
}

export interface VersionInfo {
  readonly id: string;
  readonly kind: 'auto' | 'named';
  readonly name: string | null;
  readonly authors: readonly string[];
  readonly createdAt: number;
  readonly bytes: number;
}

export interface TextEditRequest {
  readonly from: number;
  readonly to: number;
  readonly insert?: string;
}

export class ApiClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** The relay's HTTP address, e.g. `http://localhost:1234`. */
  readonly baseUrl: string;
  /** A share token of the room or an admin token (relays with a secret). */
  readonly token?: string | null;
  /** Who writes are attributed to (`X-Coedit-Author`); "API" when absent. */
  readonly author?: string | null;
}

export class ApiClient {
  private readonly base: string;

  constructor(private readonly options: ApiClientOptions) {
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/api/v1/documents`;
  }

  create(
    init: { text?: string; title?: string; language?: string } = {},
  ): Promise<CreatedDocument> {
    return this.json('POST', '', init);
  }

  /** A page of every document (admin token on a relay with a secret). */
  list(page: { after?: string; limit?: number } = {}): Promise<DocumentPage> {
    const query = new URLSearchParams();
    if (page.after) query.set('after', page.after);
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    const search = query.toString();
    return this.json('GET', search ? `?${search}` : '');
  }

  /** Delete a document for good (admin token): its editors are disconnected. */
  remove(room: string): Promise<{ room: string; deleted: true }> {
    return this.json('DELETE', `/${enc(room)}`);
  }

  info(room: string): Promise<DocumentInfo> {
    return this.json('GET', `/${enc(room)}`);
  }

  async text(room: string): Promise<string> {
    return (await this.request('GET', `/${enc(room)}/text`)).text();
  }

  async html(room: string): Promise<string> {
    return (await this.request('GET', `/${enc(room)}/html`)).text();
  }

  putText(room: string, text: string): Promise<{ room: string; length: number }> {
    return this.json('PUT', `/${enc(room)}/text`, { text });
  }

  append(room: string, text: string): Promise<{ room: string; length: number }> {
    return this.json('POST', `/${enc(room)}/append`, { text });
  }

  patch(
    room: string,
    edits: readonly TextEditRequest[],
    baseLength?: number,
  ): Promise<{ room: string; length: number }> {
    return this.json('PATCH', `/${enc(room)}/text`, {
      edits,
      ...(baseLength === undefined ? {} : { baseLength }),
    });
  }

  setTitle(room: string, title: string): Promise<{ room: string; title: string }> {
    return this.json('PUT', `/${enc(room)}/title`, { title });
  }

  async versions(room: string): Promise<VersionInfo[]> {
    return (await this.json<{ versions: VersionInfo[] }>('GET', `/${enc(room)}/versions`)).versions;
  }

  restore(room: string, versionId: string): Promise<{ room: string; length: number }> {
    return this.json('POST', `/${enc(room)}/versions/${enc(versionId)}/restore`);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.request(method, path, body)).json()) as T;
  }

  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (this.options.author) headers['x-coedit-author'] = this.options.author;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      const error = (await response.json().catch(() => ({}))) as { error?: string; code?: string };
      throw new ApiClientError(
        response.status,
        error.code ?? 'unknown',
        error.error ?? `HTTP ${response.status}`,
      );
    }
    return response;
  }
}

const enc = encodeURIComponent;
