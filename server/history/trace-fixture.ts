/**
 * Editing traces for tests: $COEDIT_TRACES_DIR, else ../shared/traces beside the repository.
 * Each transaction is a list of [position, deleteCount, insertText] patches.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Trace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly [number, number, string][] }[];
}

const REPO_ROOT = resolve(import.meta.dirname, '../..');

export function loadTrace(name: string): Trace {
  const dir = process.env.COEDIT_TRACES_DIR ?? resolve(REPO_ROOT, '../shared/traces');
  const file = join(dir, `${name}.json.gz`);
  if (!existsSync(file)) {
    throw new Error(
      `editing trace not found at ${file}: set COEDIT_TRACES_DIR to the folder holding ${name}.json.gz`,
    );
  }
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
}

/** Apply one transaction's patches to a plain string (the trace's reference text). */
export function applyPatches(text: string, patches: readonly [number, number, string][]): string {
  let out = text;
  for (const [pos, del, ins] of patches) out = out.slice(0, pos) + ins + out.slice(pos + del);
  return out;
}
