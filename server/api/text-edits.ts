/** The text bodies of the document API's writes, and edits applied to a Y.Text. */
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import { parseJsonObject } from '../http/body';
import { HttpError } from '../http/http-error';

export interface Patch {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

/** A text body: the raw body for text/plain, else `{text}`. */
export function textOf(req: IncomingMessage, body: string): string {
  if ((req.headers['content-type'] ?? '').startsWith('text/plain')) return body;
  const { text } = parseJsonObject(body);
  if (typeof text !== 'string') throw new HttpError(400, 'bad-request', 'text must be a string');
  return text;
}

/** `[{from, to, insert}]` (or `{edits, baseLength?}`), in order, not overlapping, within `length`. */
export function patchesOf(body: string, length: number): Patch[] {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'bad-request', 'body must be JSON');
  }
  const wrapped = typeof value === 'object' && value !== null && !Array.isArray(value);
  const edits = wrapped ? (value as { edits?: unknown }).edits : value;
  const baseLength = wrapped ? (value as { baseLength?: unknown }).baseLength : undefined;
  if (baseLength !== undefined && baseLength !== length) {
    throw new HttpError(409, 'conflict', `the text is ${length} long, not ${String(baseLength)}`);
  }
  if (!Array.isArray(edits)) throw new HttpError(400, 'bad-request', 'edits must be an array');
  let end = 0;
  return edits.map((edit: unknown) => {
    const { from, to, insert } = (edit ?? {}) as Record<string, unknown>;
    if (
      !Number.isSafeInteger(from) ||
      !Number.isSafeInteger(to) ||
      (from as number) < end ||
      (to as number) < (from as number) ||
      (to as number) > length ||
      (insert !== undefined && typeof insert !== 'string')
    ) {
      throw new HttpError(
        400,
        'bad-request',
        'each edit needs from <= to within the text, in order',
      );
    }
    end = to as number;
    return { from: from as number, to: to as number, insert: (insert as string | undefined) ?? '' };
  });
}

/** Apply `patches` (offsets of the text before any of them) back to front. */
export function applyPatches(text: Y.Text, patches: readonly Patch[]): void {
  for (let i = patches.length - 1; i >= 0; i--) {
    const { from, to, insert } = patches[i] as Patch;
    if (to > from) text.delete(from, to - from);
    if (insert) text.insert(from, insert);
  }
}
