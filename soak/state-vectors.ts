/**
 * Yjs state vectors (client id → number of items that client produced) as the currency of the
 * loss check: an update is in a document when the document's clock for its client is past it.
 */
export type StateVector = ReadonlyMap<number, number>;

/** Entry-wise maximum: everything either side has seen. */
export function mergeMax(a: StateVector, b: StateVector): Map<number, number> {
  const merged = new Map(a);
  for (const [client, clock] of b) merged.set(client, Math.max(clock, merged.get(client) ?? 0));
  return merged;
}

/**
 * How many items (one per inserted character) `expected` has that `actual` lacks: 0 when
 * `actual` contains everything `expected` describes.
 */
export function missingItems(expected: StateVector, actual: StateVector): number {
  let missing = 0;
  for (const [client, clock] of expected) missing += Math.max(0, clock - (actual.get(client) ?? 0));
  return missing;
}

/** Total items described (the sum of the clocks). */
export function itemCount(vector: StateVector): number {
  let total = 0;
  for (const clock of vector.values()) total += clock;
  return total;
}

export function sameVector(a: StateVector, b: StateVector): boolean {
  return missingItems(a, b) === 0 && missingItems(b, a) === 0;
}
