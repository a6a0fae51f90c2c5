import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateAddsToDoc } from './update-novelty';

function docWith(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.getText('body').insert(0, text);
  return doc;
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('updateAddsToDoc', () => {
  it('is false for what the doc already has, including its deletions', () => {
    const server = docWith('hello world');
    server.getText('body').delete(0, 6);
    const client = copyOf(server);
    expect(updateAddsToDoc(server, Y.encodeStateAsUpdate(client))).toBe(false);
    // A sync step 2 answer to the server's state vector: structs none, delete set full.
    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
    expect(updateAddsToDoc(server, step2)).toBe(false);
    expect(updateAddsToDoc(server, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(false);
  });

  it('is true for a new insertion', () => {
    const server = docWith('hello');
    const client = copyOf(server);
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    client.getText('body').insert(5, '!');
    expect(updateAddsToDoc(server, updates[0] as Uint8Array)).toBe(true);
  });

  it('is true for a new deletion of known text', () => {
    const server = docWith('hello');
    const client = copyOf(server);
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    client.getText('body').delete(1, 2);
    expect(updateAddsToDoc(server, updates[0] as Uint8Array)).toBe(true);
  });

  it('is true for an update that depends on structs the doc lacks', () => {
    const server = new Y.Doc();
    const client = docWith('abc');
    const updates: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => updates.push(u));
    client.getText('body').insert(3, 'd');
    expect(updateAddsToDoc(server, updates[0] as Uint8Array)).toBe(true);
  });

  it('throws on garbage', () => {
    expect(() => updateAddsToDoc(new Y.Doc(), new Uint8Array([9, 9, 9, 9]))).toThrow();
  });
});
