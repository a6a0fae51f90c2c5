import * as Y from 'yjs';
import { DOC_TEXT } from '../lib/doc-schema';
import { replayTrace } from '../server/test/traces';
import { loadTrace, type Trace, type TraceName, tracePath } from './traces';

/** A trace's final document as one Yjs update, and its text. */
export interface TraceDocument {
  update: Uint8Array;
  text: string;
}

/** Replays every transaction into one Y.Text; throws unless the result is the end content. */
export function replayToDocument(trace: Trace): TraceDocument {
  const doc = new Y.Doc();
  replayTrace(trace, doc);
  const diverged = doc.getText(DOC_TEXT).toString() !== trace.endContent;
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  if (diverged) throw new Error('trace replay diverged from its end content');
  return { update, text: trace.endContent };
}

const cache = new Map<TraceName, TraceDocument>();

/** The final document of trace `name`, replayed once per bench run (seconds for the long one). */
export function traceDocument(name: TraceName): TraceDocument {
  let document = cache.get(name);
  if (!document) {
    document = replayToDocument(loadTrace(tracePath(name)));
    cache.set(name, document);
  }
  return document;
}
