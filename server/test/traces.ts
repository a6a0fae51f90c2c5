/**
 * Editing traces for tests and benchmarks, read from $COEDIT_TRACES_DIR, else ../shared/traces
 * beside the repository. Each transaction is a list of [position, deleteCount, insertText]
 * patches (format: see the traces README beside the files).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';

export interface Trace {
  readonly startContent: string;
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly [number, number, string][] }[];
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The gzipped file of trace `name`; throws a clear error naming the env var if it is missing. */
export function tracePath(name: string): string {
  const dir = process.env.COEDIT_TRACES_DIR ?? resolve(REPO_ROOT, '../shared/traces');
  const file = join(dir, `${name}.json.gz`);
  if (!existsSync(file)) {
    throw new Error(
      `editing trace not found at ${file}: set COEDIT_TRACES_DIR to the folder holding ${name}.json.gz`,
    );
  }
  return file;
}

/** Parse one gzipped trace file. */
export function readTrace(file: string): Trace {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Trace;
}

/** The trace called `name` (e.g. 'automerge-paper'). */
export function loadTrace(name: string): Trace {
  return readTrace(tracePath(name));
}

/** Apply one transaction's patches to a plain string (the trace's reference text). */
export function applyPatches(text: string, patches: readonly [number, number, string][]): string {
  let out = text;
  for (const [pos, del, ins] of patches) out = out.slice(0, pos) + ins + out.slice(pos + del);
  return out;
}

/**
 * Replay `trace` into `doc`'s document text, one Yjs transaction per trace transaction (so a
 * listener on 'update' sees the updates its writer would have sent).
 */
export function replayTrace(trace: Trace, doc: Y.Doc): void {
  const text = doc.getText(DOC_TEXT);
  for (const { patches } of trace.txns) {
    doc.transact(() => {
      for (const [pos, deleted, inserted] of patches) {
        if (deleted > 0) text.delete(pos, deleted);
        if (inserted) text.insert(pos, inserted);
      }
    });
  }
}
