import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DOC_TEXT } from '../../lib/doc-schema';
import { loadTrace, replayTrace } from '../test/traces';
import { Compactor } from './compactor';
import { DocState, EMPTY_UPDATE, mergeAll } from './doc-state';

const compactor = new Compactor();
afterAll(() => compactor.close());

/** The sveltecomponent trace as the updates its writer's doc emits, and the final text. */
function traceUpdates(): { updates: Uint8Array[]; text: string } {
  const trace = loadTrace('sveltecomponent');
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  replayTrace(trace, doc);
  expect(doc.getText(DOC_TEXT).toString()).toBe(trace.endContent);
  return { updates, text: trace.endContent };
}

function textOf(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  expect(doc.store.pendingStructs).toBeNull();
  return doc.getText(DOC_TEXT).toString();
}

/** Feed `updates` to `state` as a room does (check, then accept what is new). */
function feed(state: DocState, updates: readonly Uint8Array[]): void {
  for (const update of updates) {
    const verdict = state.check(update);
    if (verdict.kind !== 'new') throw new Error(`unexpected verdict ${verdict.kind}`);
    state.accept(update, verdict.effect);
  }
}

describe('DocState', () => {
  const { updates, text } = traceUpdates();

  it('folds a whole trace into a snapshot that holds the document', () => {
    const state = new DocState(EMPTY_UPDATE);
    feed(state, updates);
    // Folding is geometric: the pending part stays below the fold threshold.
    expect(state.pendingBytes).toBeLessThan(Math.max(64 * 1024, state.bytes));
    expect(textOf(state.fullState())).toBe(text);
    expect(state.pendingBytes).toBe(0);
  });

  it('answers a partly synced client with what it lacks', () => {
    const state = new DocState(EMPTY_UPDATE);
    const half = Math.floor(updates.length / 2);
    feed(state, updates);
    const client = new Y.Doc();
    for (const update of updates.slice(0, half)) Y.applyUpdate(client, update);
    Y.applyUpdate(client, state.diff(Y.encodeStateVector(client)));
    expect(client.getText(DOC_TEXT).toString()).toBe(text);
  });

  it('compacts on the worker to far fewer bytes, keeping what arrived meanwhile', async () => {
    const state = new DocState(EMPTY_UPDATE);
    const cut = updates.length - 500;
    feed(state, updates.slice(0, cut));
    const merged = state.fullState().length;
    const inputs = state.beginCompaction();
    const compacting = compactor.compact(inputs);
    feed(state, updates.slice(cut));
    const compacted = await compacting;
    expect(compacted.dangling).toBe(false);
    state.finishCompaction(compacted.state);
    expect(compacted.state.length).toBeLessThan(merged / 2);
    expect(textOf(state.fullState())).toBe(text);
    expect(state.wantsCompaction()).toBe(false);
  });

  it('measures on this thread during a worker compaction without losing what came since', async () => {
    const state = new DocState(EMPTY_UPDATE);
    const cut = updates.length - 500;
    feed(state, updates.slice(0, cut));
    const compacting = compactor.compact(state.beginCompaction());
    feed(state, updates.slice(cut, cut + 250));
    expect(state.compactNow()).toBeGreaterThan(0);
    feed(state, updates.slice(cut + 250));
    state.finishCompaction((await compacting).state);
    expect(textOf(state.fullState())).toBe(text);
  });

  it('loads a compacted state and knows its clocks', () => {
    const doc = new Y.Doc();
    doc.getText(DOC_TEXT).insert(0, 'hello');
    doc.getText(DOC_TEXT).delete(0, 1);
    const state = new DocState(Y.encodeStateAsUpdate(doc));
    expect(state.known.clock(doc.clientID)).toBe(5);
    expect(state.known.coversDelete(doc.clientID, 0, 1)).toBe(true);
    expect(state.check(Y.encodeStateAsUpdate(doc)).kind).toBe('known');
  });

  it('refuses a stored state that depends on clocks it does not hold', () => {
    const doc = new Y.Doc();
    const later: Uint8Array[] = [];
    doc.getText(DOC_TEXT).insert(0, 'a');
    doc.on('update', (update: Uint8Array) => later.push(update));
    doc.getText(DOC_TEXT).insert(1, 'b');
    expect(() => new DocState(later[0] as Uint8Array)).toThrow(/missing/);
  });
});

describe('mergeAll', () => {
  it('merges any number of updates in groups, as one merge would', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 250; i++) doc.getText(DOC_TEXT).insert(i, String(i % 10));
    const merged = mergeAll(updates);
    expect(textOf(merged)).toBe(doc.getText(DOC_TEXT).toString());
    expect(merged).toEqual(Y.mergeUpdates(updates));
    expect(mergeAll([])).toEqual(EMPTY_UPDATE);
  });
});
