/**
 * Sends one image to the relay (POST /rooms/<room>/images, see server/images/http.ts) with
 * XMLHttpRequest, for its upload progress events, and turns every outcome into either the
 * image's address or a sentence for the user.
 */
import { relayHttpBase } from '../links-client';

export interface UploadTarget {
  /** The relay's WebSocket base URL (ws(s)://host:port); its HTTP API is on the same port. */
  readonly relayUrl: string;
  readonly room: string;
  /** The page's share token (edit links only can upload); null on an open relay. */
  readonly token: string | null;
}

export type UploadResult =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly message: string };

const UPLOAD_TIMEOUT_MS = 120_000;

/** Upload `file`; `onProgress` receives the fraction sent (0–1) when the browser knows it. */
export function uploadImage(
  target: UploadTarget,
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> {
  const base = relayHttpBase(target.relayUrl);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${base}/rooms/${encodeURIComponent(target.room)}/images`);
    if (target.token) xhr.setRequestHeader('authorization', `Bearer ${target.token}`);
    xhr.timeout = UPLOAD_TIMEOUT_MS;
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if ((xhr.status === 200 || xhr.status === 201) && typeof body.path === 'string') {
        resolve({ ok: true, url: `${base}${body.path}` });
      } else {
        resolve({
          ok: false,
          message: body.error ?? `The server refused it (HTTP ${xhr.status}).`,
        });
      }
    };
    xhr.onerror = () =>
      resolve({ ok: false, message: 'The server could not be reached. Check your connection.' });
    xhr.ontimeout = () =>
      resolve({ ok: false, message: 'The upload took too long and was stopped.' });
    // The body is sent as is: the relay decides what it is from its bytes, not from a type.
    xhr.send(file);
  });
}

function parse(text: string): { path?: unknown; error?: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return {};
    const { path, error } = value as { path?: unknown; error?: unknown };
    return { path, ...(typeof error === 'string' ? { error } : {}) };
  } catch {
    return {};
  }
}
