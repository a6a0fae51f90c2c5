/**
 * Checks a Yjs update against what a room holds without integrating it (no Y.Doc): it decodes
 * completely and every struct can be integrated, in order, from what is known plus what this
 * update brings. What Yjs itself would keep "pending" for ever (a gap in a client's clocks, a
 * reference to an unknown struct, a deletion of unknown clocks) is reported as `missing`, for the
 * room to park; what would crash or corrupt an integrating client (a struct referring forwards to
 * its own client, a dependency cycle, a client split over two blocks) is malformed.
 */
import * as Y from 'yjs';
import type { KnownState } from './known-state';

export class MalformedUpdate extends Error {}

/** What accepting an update changes: new clocks per client, and deleted ranges. */
export interface UpdateEffect {
  /** client → the clock known after this update (only clients it advances). */
  readonly clocks: Map<number, number>;
  /** Flat [client, start, end, …]: deletions (delete set, GC and deleted items) it brings. */
  readonly deletes: number[];
}

export type UpdateVerdict =
  /** Adds structs or deletions: store it, broadcast it, then `applyEffect`. */
  | { readonly kind: 'new'; readonly effect: UpdateEffect }
  /** Everything in it is known already: acknowledge, but neither store nor broadcast it. */
  | { readonly kind: 'known' }
  /** Depends on clocks the room does not have (yet). */
  | { readonly kind: 'missing' };

type Struct = Y.Item | Y.GC | Y.Skip;

interface ClientRun {
  readonly client: number;
  readonly structs: Struct[];
  /** Next struct to resolve. */
  next: number;
  /** On the resolution stack (a second visit is a cycle). */
  visiting: boolean;
}

const KNOWN: UpdateVerdict = { kind: 'known' };
const MISSING: UpdateVerdict = { kind: 'missing' };

/** Throws MalformedUpdate for bytes that are not a well-formed update. */
export function checkUpdate(update: Uint8Array, known: KnownState): UpdateVerdict {
  let decoded: {
    structs: Struct[];
    ds: { clients: Map<number, { clock: number; len: number }[]> };
  };
  try {
    decoded = Y.decodeUpdate(update) as unknown as typeof decoded;
  } catch (err) {
    throw new MalformedUpdate(`undecodable update: ${(err as Error).message}`);
  }
  const runs = groupByClient(decoded.structs);
  const clocks = new Map<number, number>();
  const clockOf = (client: number): number => clocks.get(client) ?? known.clock(client);
  const deletes: number[] = [];

  for (const run of runs.values()) {
    if (!resolve(run, runs, clocks, clockOf, deletes)) return MISSING;
  }

  let adds = false;
  for (const [client, clock] of clocks) {
    if (clock > known.clock(client)) adds = true;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const knownUpTo = clockOf(client);
    for (const { clock, len } of ranges) {
      // Yjs never writes an empty range, and throws integrating one it cannot apply yet.
      if (len === 0) throw new MalformedUpdate('empty delete range');
      if (clock + len > knownUpTo) return MISSING;
      deletes.push(client, clock, clock + len);
      if (!adds && !known.coversDelete(client, clock, clock + len)) adds = true;
    }
  }
  return adds ? { kind: 'new', effect: { clocks, deletes } } : KNOWN;
}

/** Record an accepted update's effect (after `checkUpdate` said `new`). */
export function applyEffect(known: KnownState, effect: UpdateEffect): void {
  for (const [client, clock] of effect.clocks) known.advance(client, clock);
  const deletes = effect.deletes;
  for (let i = 0; i < deletes.length; i += 3) {
    known.addDelete(deletes[i] as number, deletes[i + 1] as number, deletes[i + 2] as number);
  }
}

function groupByClient(structs: readonly Struct[]): Map<number, ClientRun> {
  const runs = new Map<number, ClientRun>();
  let current = null as ClientRun | null;
  for (const struct of structs) {
    const client = struct.id.client;
    if (current?.client !== client) {
      // Yjs keeps only the last block of a client (readClientsStructRefs): never split one.
      if (runs.has(client)) throw new MalformedUpdate(`client ${client} appears twice`);
      current = { client, structs: [], next: 0, visiting: false };
      runs.set(client, current);
    }
    current.structs.push(struct);
  }
  return runs;
}

/**
 * Advance `start`'s clock over its structs. A struct that needs another client's clock first
 * resolves that client's run just far enough (depth first, with an explicit stack so that long
 * chains across clients cannot overflow), as Yjs's integrateStructs does, so an accepted update
 * integrates. False: a dependency is missing.
 */
function resolve(
  start: ClientRun,
  runs: Map<number, ClientRun>,
  clocks: Map<number, number>,
  clockOf: (client: number) => number,
  deletes: number[],
): boolean {
  const stack: ClientRun[] = [start];
  const until: number[] = [Number.POSITIVE_INFINITY];
  start.visiting = true;
  while (stack.length > 0) {
    const top = stack.length - 1;
    const run = stack[top] as ClientRun;
    const knownUpTo = clockOf(run.client);
    if (run.next >= run.structs.length || knownUpTo >= (until[top] as number)) {
      // A dependency resolved only as far as needed; an unfinished run is missing it.
      if (knownUpTo < (until[top] as number) && top > 0) return false;
      run.visiting = false;
      stack.pop();
      until.pop();
      continue;
    }
    const struct = run.structs[run.next] as Struct;
    if (struct instanceof Y.Skip) {
      run.next++;
      continue;
    }
    const begin = struct.id.clock;
    const end = begin + struct.length;
    if (begin > knownUpTo) return false;
    if (end <= knownUpTo) {
      run.next++;
      continue;
    }
    const unmet = struct instanceof Y.Item ? unmetDependency(struct, clockOf) : null;
    if (unmet !== null) {
      const dependency = runs.get(unmet.client);
      if (!dependency) return false;
      if (dependency.visiting) throw new MalformedUpdate('dependency cycle between clients');
      dependency.visiting = true;
      stack.push(dependency);
      until.push(unmet.clock + 1);
      continue;
    }
    clocks.set(run.client, end);
    if (isDeletion(struct)) deletes.push(run.client, begin, end);
    run.next++;
  }
  return true;
}

/** A GC struct or an item integrated as deleted: a deletion of its clocks. */
function isDeletion(struct: Y.Item | Y.GC): boolean {
  return struct instanceof Y.GC || struct.content instanceof Y.ContentDeleted;
}

/** A clock of another client that `item` needs and that is not known yet, or null. */
function unmetDependency(item: Y.Item, clockOf: (client: number) => number): Y.ID | null {
  return (
    unmetReference(item.id, item.origin, clockOf) ??
    unmetReference(item.id, item.rightOrigin, clockOf) ??
    unmetReference(item.id, item.parent, clockOf)
  );
}

function unmetReference(own: Y.ID, ref: unknown, clockOf: (client: number) => number): Y.ID | null {
  if (!(ref instanceof Y.ID)) return null;
  if (ref.client === own.client) {
    // Yjs assumes a client's own earlier structs are present; a forward reference crashes it.
    if (ref.clock >= own.clock) throw new MalformedUpdate('struct refers forwards to its client');
    return null;
  }
  return ref.clock >= clockOf(ref.client) ? ref : null;
}
