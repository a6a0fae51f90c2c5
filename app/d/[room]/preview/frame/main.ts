import DOMPurify from 'dompurify';
import { createDiagramSanitizer } from '../../../../../lib/markdown/diagram-sanitize';
import {
  type OutlineHeading,
  type PreviewBlock,
  parseToFrame,
  type RenderMessage,
} from '../../../../../lib/markdown/preview-protocol';
import { createPreviewFragmentSanitizer } from '../../../../../lib/markdown/sanitize';
import { BlockList } from './blocks';
import { DiagramRenderer } from './diagrams';
import { sourceLineAt, topForSourceLine } from './source-lines';

/**
 * The preview frame's own script (bundled into one inline script by
 * scripts/build-preview-frame.ts, allowed by the frame's CSP through its hash). The frame is a
 * sandboxed srcdoc iframe without allow-same-origin: its origin is opaque, so nothing here can
 * reach the editor page, its storage or its cookies. It sanitizes the HTML it is given with
 * DOMPurify in its own document, shows it, and reports the outline, task clicks and scrolling.
 */

const config = readConfig();
const sanitize = createPreviewFragmentSanitizer(DOMPurify(window));
const root = document.getElementById('preview-root') as HTMLElement;
const diagrams = new DiagramRenderer(config.mermaidJs, createDiagramSanitizer(DOMPurify(window)));
const HEADINGS = 'h1, h2, h3, h4, h5, h6';
/** Each block's headings, found once when it is built: the outline then costs no DOM search. */
const headingsOf = new WeakMap<Element, readonly Element[]>();
const blocks = new BlockList(root, (html) => {
  const element = document.createElement('div');
  element.className = 'md-block';
  element.append(sanitize(html));
  headingsOf.set(element, [...element.querySelectorAll(HEADINGS)]);
  retargetLinks(element);
  diagrams.watch(element);
  return element;
});
/** Where our own last scrollTo left the frame: a scroll event there is not the reader's. */
let programmaticScrollY: number | null = null;
let scrollReportPending = false;

function readConfig(): { parentOrigin: string; katexCss: string; mermaidJs: string } {
  const meta = (name: string) =>
    document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
  return {
    parentOrigin: meta('coedit-parent-origin'),
    katexCss: meta('coedit-katex-css'),
    mermaidJs: meta('coedit-mermaid-js'),
  };
}

function post(message: unknown): void {
  window.parent.postMessage(message, config.parentOrigin);
}

function loadKatexCss(): void {
  if (document.getElementById('katex-css') || !config.katexCss) return;
  const link = document.createElement('link');
  link.id = 'katex-css';
  link.rel = 'stylesheet';
  link.href = config.katexCss;
  document.head.append(link);
}

/** Links leave in a new tab (the sandbox lets that tab escape it); `#…` links stay in here. */
function retargetLinks(container: HTMLElement): void {
  for (const link of container.querySelectorAll('a[href]')) {
    if (link.getAttribute('href')?.startsWith('#')) continue;
    link.setAttribute('target', '_blank');
  }
}

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment; // a malformed % escape: look the id up as written
  }
}

function outline(container: HTMLElement): OutlineHeading[] {
  const headings: OutlineHeading[] = [];
  const shown = [...container.children].flatMap((block) => headingsOf.get(block) ?? []);
  for (const heading of shown) {
    const line = Number(heading.getAttribute('data-source-line'));
    if (!Number.isInteger(line) || line < 0) continue;
    const text = (heading.textContent ?? '').trim().slice(0, 300);
    headings.push({ level: Number(heading.localName.slice(1)), text, line });
    if (headings.length >= 2_000) break;
  }
  return headings;
}

/** HTML of the blocks of the last render message, which `same` references point into. */
let lastHtml: string[] = [];

function render(message: RenderMessage): void {
  const resolved: PreviewBlock[] = [];
  for (const block of message.blocks) {
    const html = 'html' in block ? block.html : lastHtml[block.same];
    if (html === undefined) {
      // Out of step with the page (should not happen): start over with every block in full.
      lastHtml = [];
      post({ type: 'ready' });
      return;
    }
    resolved.push({ html, line: block.line });
  }
  lastHtml = resolved.map((block) => block.html);
  if (message.math) loadKatexCss();
  blocks.update(resolved);
  post({ type: 'rendered', seq: message.seq, headings: outline(root) });
  // A task queued from an animation frame runs once that frame has been painted.
  requestAnimationFrame(() => setTimeout(() => post({ type: 'painted', seq: message.seq })));
}

function scrollToLine(line: number): void {
  window.scrollTo({ top: topForSourceLine(root, line) });
  programmaticScrollY = window.scrollY;
}

/** The port renders arrive on (from the page's render worker), replaced on each `connect`. */
let renderPort: MessagePort | null = null;

function connect(port: MessagePort): void {
  renderPort?.close();
  renderPort = port;
  port.onmessage = (event) => {
    const message = parseToFrame(event.data);
    if (message?.type === 'render') render(message);
  };
}

window.addEventListener('message', (event) => {
  // Only the embedding page may talk to us, and hand us the worker's channel.
  if (event.source !== window.parent) return;
  const message = parseToFrame(event.data);
  const port = event.ports[0];
  if (message?.type === 'connect' && port) connect(port);
  else if (message?.type === 'scroll-to-line') scrollToLine(message.line);
  else if (message?.type === 'diagrams-request') {
    post({ type: 'diagrams', id: message.id, drawings: diagrams.drawings() });
  }
});

document.addEventListener('click', (event) => {
  const target = event.target as Element | null;
  const checkbox = target?.closest('input.task-list-item-checkbox');
  if (checkbox instanceof HTMLInputElement) {
    // The source decides: the box changes when the edit comes back rendered.
    event.preventDefault();
    const line = Number(checkbox.getAttribute('data-task-line'));
    if (!checkbox.disabled && Number.isInteger(line)) post({ type: 'toggle-task', line });
    return;
  }
  const fragment = target?.closest('a[href^="#"]')?.getAttribute('href');
  if (fragment) {
    event.preventDefault();
    document.getElementById(decodeFragment(fragment.slice(1)))?.scrollIntoView();
  }
});

window.addEventListener(
  'scroll',
  () => {
    if (programmaticScrollY !== null && Math.abs(window.scrollY - programmaticScrollY) < 1) return;
    programmaticScrollY = null;
    if (scrollReportPending) return;
    scrollReportPending = true;
    requestAnimationFrame(() => {
      scrollReportPending = false;
      post({ type: 'scrolled', line: sourceLineAt(root, window.scrollY) });
    });
  },
  { passive: true },
);

document.addEventListener('securitypolicyviolation', (event) => {
  post({ type: 'csp-violation', directive: event.effectiveDirective });
});

post({ type: 'ready' });
