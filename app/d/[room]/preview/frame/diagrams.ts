import { DIAGRAM_ID_PREFIX } from '../../../../../lib/markdown/diagram-sanitize';
import {
  type DiagramDrawing,
  MAX_DIAGRAM_DRAWINGS,
} from '../../../../../lib/markdown/preview-protocol';

/**
 * Mermaid diagrams in the preview frame. The renderer leaves ```` ```mermaid ```` fences as
 * inert `<pre class="mermaid-source">`; each freshly built block is handed to {@link watch},
 * which loads Mermaid's browser bundle the first time a document has a diagram (one script by
 * URL, allowed by the frame's CSP; never for documents without one), draws the diagrams one at a
 * time, sanitizes the SVG again and puts it where the source was. A block the frame keeps
 * (frame/blocks.ts) keeps its drawing, so typing elsewhere never redraws a diagram; a source
 * drawn before (undo, a reloaded frame) comes from a small cache. A diagram Mermaid cannot parse
 * shows its error and its source.
 */

interface MermaidApi {
  initialize(config: Record<string, unknown>): void;
  render(id: string, text: string): Promise<{ svg: string }>;
}

type Drawing = { readonly svg: string } | { readonly error: string };

/**
 * Mermaid's settings: `strict` (labels sanitized, no click callbacks, links through its URL
 * sanitizer), SVG text labels (no HTML inside <foreignObject>), and keys a `%%{init: …}%%`
 * directive in the document may not change.
 */
function mermaidConfig(dark: boolean): Record<string, unknown> {
  return {
    startOnLoad: false,
    securityLevel: 'strict',
    htmlLabels: false,
    flowchart: { htmlLabels: false },
    // Link menus always shown, instead of toggled by an inline onclick (which the CSP refuses).
    sequence: { forceMenus: true },
    theme: dark ? 'dark' : 'default',
    suppressErrorRendering: true,
    deterministicIds: false,
    secure: [
      'secure',
      'securityLevel',
      'startOnLoad',
      'maxTextSize',
      'maxEdges',
      'suppressErrorRendering',
      'htmlLabels',
      'themeCSS',
      'fontFamily',
      'altFontFamily',
      'dompurifyConfig',
      'arrowMarkerAbsolute',
      'legacyMathML',
      'forceLegacyMathML',
      'forceMenus',
    ],
  };
}

/**
 * Sources drawn lately, so an undo or a reloaded frame does not wait for Mermaid again
 * (MAX_DIAGRAM_DRAWINGS: what the page accepts of them for an export).
 */
const CACHE_SIZE = MAX_DIAGRAM_DRAWINGS;
/** Longest error message shown (Mermaid's parse errors quote the offending line). */
const MAX_ERROR_CHARS = 1_000;

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, MAX_ERROR_CHARS);
}

export class DiagramRenderer {
  private mermaid: Promise<MermaidApi> | null = null;
  private readonly queue: HTMLElement[] = [];
  private draining = false;
  private readonly cache = new Map<string, Drawing>();
  private renders = 0;
  private readonly dark = window.matchMedia('(prefers-color-scheme: dark)').matches;

  constructor(
    /** Mermaid's browser bundle (frame-document.ts, MERMAID_SCRIPT_PATH). */
    private readonly scriptUrl: string,
    /** The second, independent pass over Mermaid's SVG (lib/markdown/diagram-sanitize.ts). */
    private readonly sanitizeSvg: (svg: string) => string,
  ) {}

  /** The diagrams drawn lately (the shown ones among them), for an export of the document. */
  drawings(): DiagramDrawing[] {
    const drawn: DiagramDrawing[] = [];
    for (const [source, drawing] of this.cache) {
      if ('svg' in drawing) drawn.push({ source, svg: drawing.svg });
    }
    return drawn;
  }

  /** Draws the diagrams of a freshly built block (asynchronously, unless drawn before). */
  watch(block: HTMLElement): void {
    for (const source of block.querySelectorAll<HTMLElement>('pre.mermaid-source')) {
      const drawn = this.cache.get(source.textContent ?? '');
      if (drawn) {
        this.show(source, drawn);
        continue;
      }
      source.setAttribute('data-diagram', 'pending');
      this.queue.push(source);
    }
    // After the current task: the block is inserted (or dropped) by then.
    if (this.queue.length > 0) queueMicrotask(() => void this.drain());
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let source = this.queue.shift(); source; source = this.queue.shift()) {
        // Gone already (the diagram was edited again meanwhile): nothing to draw.
        if (!source.isConnected) continue;
        const text = source.textContent ?? '';
        const drawing = this.cache.get(text) ?? (await this.draw(text));
        if (source.isConnected) this.show(source, drawing);
      }
    } finally {
      this.draining = false;
    }
  }

  private async draw(text: string): Promise<Drawing> {
    let mermaid: MermaidApi;
    try {
      mermaid = await this.load();
    } catch (error) {
      return { error: messageOf(error) }; // not cached: the next diagram tries to load again
    }
    const id = `${DIAGRAM_ID_PREFIX}${++this.renders}`;
    let drawing: Drawing;
    try {
      const { svg } = await mermaid.render(id, text);
      drawing = { svg: this.sanitizeSvg(svg) };
    } catch (error) {
      drawing = { error: messageOf(error) };
      // Mermaid leaves its scratch element behind when parsing fails.
      document.getElementById(`d${id}`)?.remove();
    }
    this.cache.delete(text);
    this.cache.set(text, drawing);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? '');
    return drawing;
  }

  private load(): Promise<MermaidApi> {
    this.mermaid ??= new Promise<MermaidApi>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = this.scriptUrl;
      script.addEventListener('load', () => {
        // Read through globalThis's own property: an element id cannot shadow it.
        const api = Object.getOwnPropertyDescriptor(globalThis, 'mermaid')?.value as
          | MermaidApi
          | undefined;
        if (typeof api?.render !== 'function') return reject(new Error('Mermaid did not load'));
        api.initialize(mermaidConfig(this.dark));
        resolve(api);
      });
      script.addEventListener('error', () => reject(new Error('Mermaid could not be loaded')));
      document.head.append(script);
    });
    // A failed load is retried with the next diagram.
    this.mermaid.catch(() => {
      this.mermaid = null;
    });
    return this.mermaid;
  }

  private show(source: HTMLElement, drawing: Drawing): void {
    const figure = document.createElement('div');
    figure.className = 'mermaid-diagram';
    const line = source.getAttribute('data-source-line');
    if (line !== null) figure.setAttribute('data-source-line', line);
    if ('svg' in drawing) {
      figure.setAttribute('data-diagram', 'rendered');
      figure.innerHTML = drawing.svg;
    } else {
      figure.setAttribute('data-diagram', 'error');
      const box = document.createElement('div');
      box.className = 'mermaid-error';
      box.setAttribute('role', 'note');
      const title = document.createElement('strong');
      title.textContent = 'This diagram could not be drawn';
      const detail = document.createElement('pre');
      detail.className = 'mermaid-error-message';
      detail.textContent = drawing.error;
      const code = document.createElement('pre');
      code.textContent = source.textContent;
      box.append(title, detail);
      figure.append(box, code);
    }
    source.replaceWith(figure);
  }
}
