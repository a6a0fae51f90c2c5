/**
 * A small, dependency-free text diff: the edits that turn one text into another, used to restore
 * a version as the smallest practical collaborative change. Lines are diffed with Myers'
 * algorithm after trimming the common prefix and suffix; changed lines are then narrowed to the
 * characters that differ. Surrogate pairs are never split (a lone surrogate would be mangled
 * when Yjs encodes the text as UTF-8).
 */

/** Replace `old.slice(from, to)` by `insert`. Offsets are UTF-16 positions in the old text. */
export interface TextEdit {
  readonly from: number;
  readonly to: number;
  readonly insert: string;
}

/** Past this many line edits the middle is replaced as one block (bounded time and memory). */
const MAX_LINE_EDITS = 4000;

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Length of the common prefix of a[aFrom..aTo) and b[bFrom..bTo), not ending inside a pair. */
function commonPrefix(
  a: string,
  aFrom: number,
  aTo: number,
  b: string,
  bFrom: number,
  bTo: number,
) {
  const max = Math.min(aTo - aFrom, bTo - bFrom);
  let n = 0;
  while (n < max && a.charCodeAt(aFrom + n) === b.charCodeAt(bFrom + n)) n++;
  if (n > 0 && isHighSurrogate(a.charCodeAt(aFrom + n - 1))) n--;
  return n;
}

/** Length of the common suffix, at most `max`, not starting inside a pair. */
function commonSuffix(
  a: string,
  aFrom: number,
  aTo: number,
  b: string,
  bFrom: number,
  bTo: number,
) {
  const max = Math.min(aTo - aFrom, bTo - bFrom);
  let n = 0;
  while (n < max && a.charCodeAt(aTo - 1 - n) === b.charCodeAt(bTo - 1 - n)) n++;
  if (n > 0 && isLowSurrogate(a.charCodeAt(aTo - n))) n--;
  return n;
}

/** One edit turning a[aFrom..aTo) into b[bFrom..bTo), narrowed to the differing characters. */
function narrowed(
  a: string,
  aFrom: number,
  aTo: number,
  b: string,
  bFrom: number,
  bTo: number,
): TextEdit | null {
  const pre = commonPrefix(a, aFrom, aTo, b, bFrom, bTo);
  const suf = commonSuffix(a, aFrom + pre, aTo, b, bFrom + pre, bTo);
  const from = aFrom + pre;
  const to = aTo - suf;
  const insert = b.slice(bFrom + pre, bTo - suf);
  return from === to && insert === '' ? null : { from, to, insert };
}

/** Split into lines, each keeping its '\n'; returns the start offset of every line too. */
function lines(text: string, from: number, to: number): { lines: string[]; starts: number[] } {
  const out: string[] = [];
  const starts: number[] = [];
  let start = from;
  while (start < to) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 || nl >= to ? to : nl + 1;
    out.push(text.slice(start, end));
    starts.push(start);
    start = end;
  }
  starts.push(to);
  return { lines: out, starts };
}

interface Hunk {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/** Myers' O(ND) diff of two id sequences: the replaced ranges, or null past `maxD` edits. */
function myers(a: Int32Array, b: Int32Array, maxD: number): Hunk[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, maxD) && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))
          ? (v[offset + k + 1] ?? 0)
          : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) return null;
  // Walk back from the end, collecting single-line deletions/insertions (in reverse order).
  const ops: { x: number; y: number; del: boolean }[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d] as Int32Array;
    const at = (k: number) => prev[k + d + 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    ops.push({ x: prevX, y: prevY, del: !down });
    x = prevX;
    y = prevY;
  }
  const hunks: Hunk[] = [];
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i] as { x: number; y: number; del: boolean };
    const last = hunks[hunks.length - 1];
    const hunk = last && last.a1 === op.x && last.b1 === op.y ? last : undefined;
    const target = hunk ?? { a0: op.x, a1: op.x, b0: op.y, b1: op.y };
    if (op.del) target.a1++;
    else target.b1++;
    if (!hunk) hunks.push(target);
  }
  return hunks;
}

/** The edits (ascending, non-overlapping, offsets in `oldText`) that turn it into `newText`. */
export function diffText(oldText: string, newText: string): TextEdit[] {
  if (oldText === newText) return [];
  const pre = commonPrefix(oldText, 0, oldText.length, newText, 0, newText.length);
  const suf = commonSuffix(oldText, pre, oldText.length, newText, pre, newText.length);
  const aEnd = oldText.length - suf;
  const bEnd = newText.length - suf;
  const whole = narrowed(oldText, pre, aEnd, newText, pre, bEnd);
  if (pre === aEnd || pre === bEnd) return whole ? [whole] : [];

  const a = lines(oldText, pre, aEnd);
  const b = lines(newText, pre, bEnd);
  const ids = new Map<string, number>();
  const intern = (list: string[]) =>
    Int32Array.from(list, (line) => {
      let id = ids.get(line);
      if (id === undefined) {
        id = ids.size;
        ids.set(line, id);
      }
      return id;
    });
  const hunks = myers(intern(a.lines), intern(b.lines), MAX_LINE_EDITS);
  if (!hunks) return whole ? [whole] : [];

  const edits: TextEdit[] = [];
  const push = (edit: TextEdit | null) => edit && edits.push(edit);
  for (const h of hunks) {
    const aStart = (i: number) => a.starts[i] as number;
    const bStart = (i: number) => b.starts[i] as number;
    if (h.a1 - h.a0 === h.b1 - h.b0) {
      // Same number of lines: most likely edited in place, so narrow each line on its own.
      for (let i = 0; i < h.a1 - h.a0; i++) {
        const ai = h.a0 + i;
        const bi = h.b0 + i;
        push(narrowed(oldText, aStart(ai), aStart(ai + 1), newText, bStart(bi), bStart(bi + 1)));
      }
    } else {
      push(narrowed(oldText, aStart(h.a0), aStart(h.a1), newText, bStart(h.b0), bStart(h.b1)));
    }
  }
  return edits;
}

/** Apply `edits` from `diffText(old, …)` to `old` (for tests and plain strings). */
export function applyTextEdits(old: string, edits: readonly TextEdit[]): string {
  let out = '';
  let at = 0;
  for (const edit of edits) {
    out += old.slice(at, edit.from) + edit.insert;
    at = edit.to;
  }
  return out + old.slice(at);
}
