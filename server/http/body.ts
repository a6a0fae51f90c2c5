/** Request bodies, bounded: a body past its limit is refused (413) without being kept. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readText(req: IncomingMessage, maxBytes: number): Promise<string> {
  return (await readBody(req, maxBytes)).toString('utf8');
}

/** A JSON object (an empty body is `{}`); 400 for anything else. */
export function parseJsonObject(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  throw new HttpError(400, 'bad-request', 'body must be a JSON object');
}

export async function readJsonObject(
  req: IncomingMessage,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  return parseJsonObject(await readText(req, maxBytes));
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'too-large', `body larger than ${maxBytes} bytes`);
}
