import {
  type FromFrameMessage,
  type OutlineHeading,
  parseFromFrame,
  type ToFrameMessage,
} from '../../../../lib/markdown/preview-protocol';
import type { CollabSession } from '../session';
import { Store } from '../store';
import { type DiagramDrawings, lendDiagramDrawings } from './diagram-drawings';
import { EditorScrollSync } from './editor-scroll-sync';
import { toggleTaskInText } from './task-edit';
import type { ConnectFrameRequest, RenderReply, RenderRequest } from './worker-protocol';

const sameHeadings = (a: readonly OutlineHeading[], b: readonly OutlineHeading[]) =>
  a.length === b.length &&
  a.every((h, i) => h.level === b[i]?.level && h.text === b[i]?.text && h.line === b[i]?.line);

/** Longest wait for the frame's diagrams (an export then keeps a diagram as its source). */
const DIAGRAMS_WAIT_MS = 2_000;

/** Longest wait for a paint: a hidden tab runs no animation frames but should still render. */
const PAINT_WAIT_LIMIT_MS = 100;

/**
 * Runs `task` once this page has painted its next frame. The preview's work (the worker's render,
 * the frame's DOM update, layout and raster) then starts after the editor has drawn the keystroke
 * instead of competing with it for the cores. Measured (BENCHMARKS.md): started at once, the
 * preview cost the editor's key-to-paint +10–14 %; now −5 to +2 %, for one frame (≈ 16 ms) more
 * preview latency.
 */
function afterNextPaint(task: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(limit);
    task();
  };
  const limit = setTimeout(run, PAINT_WAIT_LIMIT_MS);
  // A task queued from an animation frame callback runs once that frame has been painted.
  requestAnimationFrame(() => setTimeout(run));
}

/**
 * Keeps the preview frame showing the shared text, outside React. A change (local or remote)
 * only marks the preview dirty; once the page has painted the change (so one transaction's
 * changes go together and the editor draws the keystroke first) the text goes to the render
 * worker, which sends the HTML straight to the sandboxed frame over a MessageChannel (not through
 * this page's main thread, busy with the editor's own update while someone types), and the
 * frame's outline comes back. One render is in flight at a time and changes made meanwhile are
 * coalesced into the next, so typing never waits for the preview and a slow render never queues
 * up more.
 */
export class PreviewController {
  readonly headings = new Store<readonly OutlineHeading[]>([], sameHeadings);
  private readonly worker: Worker;
  private readonly scroll: EditorScrollSync;
  private frameReady = false;
  /** The frame shows nothing yet (first load or reloaded): the next render sends every block. */
  private frameFresh = true;
  private inFlight = false;
  private dirty = true;
  private seq = 0;
  private scheduled = false;
  private disposed = false;
  /** When the oldest change not yet sent to the worker happened. */
  private firstUnsentChange: number | null = null;
  /** When the oldest change covered by the render in flight happened. */
  private inFlightSince = 0;
  /** The last render the frame applied, and when its oldest change happened (for `painted`). */
  private applied = { seq: 0, since: 0 };
  private cspViolations = 0;
  private diagramRequests = 0;
  private readonly diagramAnswers = new Map<number, (drawings: DiagramDrawings) => void>();
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly frame: HTMLIFrameElement,
    private readonly session: CollabSession,
  ) {
    this.worker = new Worker(new URL('./preview.worker.ts', import.meta.url), { type: 'module' });
    this.worker.addEventListener('message', (event: MessageEvent<RenderReply>) =>
      this.onRendered(event.data),
    );
    this.scroll = new EditorScrollSync(session, (line) =>
      this.post({ type: 'scroll-to-line', line }),
    );

    const onTextChange = () => {
      this.firstUnsentChange ??= performance.now();
      this.dirty = true;
      this.schedule();
    };
    session.text.observe(onTextChange);
    const onMessage = (event: MessageEvent) => {
      // Only the frame's own window may talk to us; its origin is opaque ("null").
      if (event.source !== frame.contentWindow) return;
      const message = parseFromFrame(event.data);
      if (message) this.onFrameMessage(message);
    };
    window.addEventListener('message', onMessage);
    this.cleanups.push(
      () => session.text.unobserve(onTextChange),
      () => window.removeEventListener('message', onMessage),
      lendDiagramDrawings(() => this.requestDiagrams()),
    );
  }

  /** The diagrams the frame has drawn, by source; none if it does not answer in time. */
  private requestDiagrams(): Promise<DiagramDrawings> {
    const id = ++this.diagramRequests;
    return new Promise((resolve) => {
      const timer = setTimeout(() => answer(new Map()), DIAGRAMS_WAIT_MS);
      const answer = (drawings: DiagramDrawings) => {
        clearTimeout(timer);
        this.diagramAnswers.delete(id);
        resolve(drawings);
      };
      this.diagramAnswers.set(id, answer);
      this.post({ type: 'diagrams-request', id });
    });
  }

  setScrollSync(on: boolean): void {
    this.scroll.setEnabled(on);
  }

  /** Outline click: the heading's line at the top of the preview, and the editor's caret on it. */
  jumpToLine(line: number): void {
    this.post({ type: 'scroll-to-line', line });
    this.scroll.moveEditorTo(line);
  }

  dispose(): void {
    this.disposed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    for (const answer of [...this.diagramAnswers.values()]) answer(new Map());
    this.scroll.dispose();
    this.worker.terminate();
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight || !this.dirty || !this.frameReady) return;
    this.scheduled = true;
    afterNextPaint(() => {
      this.scheduled = false;
      if (!this.disposed && !this.inFlight && this.dirty && this.frameReady) this.send();
    });
  }

  private send(): void {
    this.dirty = false;
    this.inFlight = true;
    this.inFlightSince = this.firstUnsentChange ?? performance.now();
    this.firstUnsentChange = null;
    const request: RenderRequest = {
      type: 'render',
      seq: ++this.seq,
      text: this.session.text.toString(),
      interactive: !this.session.readOnly,
      fresh: this.frameFresh,
    };
    this.frameFresh = false;
    this.worker.postMessage(request);
  }

  /** The worker's render `seq` went to the frame: what it cost (shown for measurements). */
  private onRendered(reply: RenderReply): void {
    if (reply?.type !== 'rendered' || reply.seq !== this.seq) return;
    this.frame.dataset.workerMs = reply.renderMs.toFixed(1);
    this.frame.dataset.workerFullRender = reply.fullRender ?? '';
  }

  /** A new channel between the worker and the (re)loaded frame; the old one is dropped. */
  private connectWorkerToFrame(): void {
    const channel = new MessageChannel();
    const request: ConnectFrameRequest = { type: 'connect-frame' };
    this.worker.postMessage(request, [channel.port1]);
    // '*': the sandboxed frame's origin is opaque and cannot be named; it is our own srcdoc.
    this.frame.contentWindow?.postMessage({ type: 'connect' }, '*', [channel.port2]);
  }

  private onFrameMessage(message: FromFrameMessage): void {
    switch (message.type) {
      case 'ready':
        // First load, or the frame was reloaded: (re)send the whole document.
        this.connectWorkerToFrame();
        this.frameReady = true;
        this.frameFresh = true;
        this.inFlight = false;
        this.dirty = true;
        this.schedule();
        break;
      case 'rendered':
        if (message.seq !== this.seq) return;
        this.inFlight = false;
        this.headings.set(message.headings);
        this.frame.dataset.renderedSeq = String(message.seq);
        this.frame.dataset.renderMs = (performance.now() - this.inFlightSince).toFixed(1);
        this.applied = { seq: message.seq, since: this.inFlightSince };
        this.schedule();
        break;
      case 'painted':
        if (message.seq !== this.applied.seq) return;
        this.frame.dataset.paintedSeq = String(message.seq);
        this.frame.dataset.paintMs = (performance.now() - this.applied.since).toFixed(1);
        break;
      case 'toggle-task':
        if (!this.session.readOnly) toggleTaskInText(this.session, message.line);
        break;
      case 'scrolled':
        this.scroll.followPreview(message.line);
        break;
      case 'csp-violation':
        this.frame.dataset.cspViolations = String(++this.cspViolations);
        break;
      case 'diagrams':
        this.diagramAnswers.get(message.id)?.(
          new Map(message.drawings.map((drawing) => [drawing.source, drawing.svg])),
        );
        break;
    }
  }

  private post(message: ToFrameMessage): void {
    // '*': the sandboxed frame's origin is opaque and cannot be named; it is our own srcdoc.
    this.frame.contentWindow?.postMessage(message, '*');
  }
}
