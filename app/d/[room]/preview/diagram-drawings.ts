/**
 * Where an export of the document finds the diagrams the preview has drawn: Mermaid runs only in
 * the preview's sandboxed frame, so the open preview (preview-controller.ts) lends its drawings,
 * and without one a diagram stays its source. A module of its own so that the export does not load
 * the preview's code.
 */

/** Source text → SVG as the frame sent it (the caller sanitizes it again). */
export type DiagramDrawings = ReadonlyMap<string, string>;

let lender: (() => Promise<DiagramDrawings>) | null = null;

/** The preview lends its drawings until the returned function is called. */
export function lendDiagramDrawings(source: () => Promise<DiagramDrawings>): () => void {
  lender = source;
  return () => {
    if (lender === source) lender = null;
  };
}

/** The drawings of the open preview; none without one. */
export function diagramDrawings(): Promise<DiagramDrawings> {
  return lender ? lender() : Promise.resolve(new Map());
}
