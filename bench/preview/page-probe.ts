/**
 * What the benchmark installs in the document page (before the app's scripts run) to time it with
 * the page's own clock: when a keystroke happened, when the editor painted it, and when the
 * preview frame reported painting a render. The frame's clock is not used (its origin is opaque
 * and its time origin differs): its `painted` message is timed on arrival in the page.
 */

export interface Painted {
  readonly seq: number;
  /** performance.now() in the page when the frame's message arrived. */
  readonly at: number;
}

export interface PreviewProbe {
  /** The next keydown or beforeinput is a measured keystroke. */
  armed: boolean;
  /** performance.now() of the last measured keystroke's event. */
  keyAt: number;
  /** Keystroke → the editor's next painted frame, ms, one per measured keystroke. */
  keyToPaint: number[];
  painted: Painted[];
}

declare global {
  interface Window {
    __previewProbe?: PreviewProbe;
  }
}

/**
 * Runs in the page (serialized by Playwright's addInitScript): no closures over Node values, and
 * no named local functions (tsx would wrap them in a `__name` helper the page does not have).
 */
export function installPreviewProbe(): void {
  if (window.top !== window) return; // the preview frame gets init scripts too
  const probe: PreviewProbe = { armed: false, keyAt: 0, keyToPaint: [], painted: [] };
  window.__previewProbe = probe;
  const listener = {
    handleEvent(event: Event) {
      if (!probe.armed) return;
      probe.armed = false;
      const start = event.timeStamp;
      probe.keyAt = start;
      // The editor updates its DOM before the next animation frame; a task queued from that
      // frame's callback runs once the frame has been painted.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => probe.keyToPaint.push(performance.now() - start);
        channel.port2.postMessage(null);
      });
    },
  };
  window.addEventListener('keydown', listener, true);
  window.addEventListener('beforeinput', listener, true);
  window.addEventListener('message', (event) => {
    const frame = document.querySelector<HTMLIFrameElement>('[data-testid="preview-frame"]');
    if (!frame || event.source !== frame.contentWindow) return;
    const data = event.data as { type?: unknown; seq?: unknown };
    if (data?.type === 'painted' && typeof data.seq === 'number') {
      probe.painted.push({ seq: data.seq, at: performance.now() });
    }
  });
}
