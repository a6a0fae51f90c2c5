/**
 * The current text of a Y.Text as runs of one Yjs client each: every live item in document order,
 * adjacent items of the same client merged. Offsets are UTF-16 code units, as Y.Text and
 * CodeMirror count them. One walk over the items, no copy of the text: the relay's authorship API
 * and the editor's "Show authors" both start from it.
 */
import type * as Y from 'yjs';

export interface ClientRun {
  readonly from: number;
  readonly to: number;
  readonly client: number;
}

export function clientRuns(text: Y.Text): ClientRun[] {
  const runs: { from: number; to: number; client: number }[] = [];
  let offset = 0;
  let last: { from: number; to: number; client: number } | undefined;
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    const client = item.id.client;
    const end = offset + item.length;
    if (last && last.client === client) last.to = end;
    else {
      last = { from: offset, to: end, client };
      runs.push(last);
    }
    offset = end;
  }
  return runs;
}
