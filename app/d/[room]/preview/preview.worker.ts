import {
  loadMathRenderer,
  MarkdownRenderer,
  type MathRenderer,
  mayContainMath,
} from '../../../../lib/markdown';
import { IncrementalRenderer } from '../../../../lib/markdown/incremental';
import type { RenderMessage, SentBlock } from '../../../../lib/markdown/preview-protocol';
import { boundedBlockHtml } from './oversized-block';
import type { RenderReply, RenderRequest, ToWorkerMessage } from './worker-protocol';

/**
 * The preview's render worker: markdown → HTML off the page's main thread, so a large or
 * pathological document never stalls typing. KaTeX is loaded the first time a document has a
 * `$`. After the first render, an edit re-renders only the blocks around it (incremental.ts).
 * There is no DOM here, so sanitizing happens in the preview frame (see frame/main.ts), to which
 * the blocks go directly through the port the page connected us with (worker-protocol.ts).
 */

let math: MathRenderer | null = null;
const renderers = new Map<string, IncrementalRenderer>();
/** Index of each block HTML in the previous render message, for `same` references. */
let previous = new Map<string, number>();
/** Our end of the channel to the frame; replaced when the frame (re)loads. */
let framePort: MessagePort | null = null;

function rendererFor(interactive: boolean): IncrementalRenderer {
  const key = `${interactive}:${math !== null}`;
  let renderer = renderers.get(key);
  if (!renderer) {
    renderer = new IncrementalRenderer(
      new MarkdownRenderer({ math, interactiveTasks: interactive }),
    );
    renderers.set(key, renderer);
  }
  return renderer;
}

async function render(request: RenderRequest, port: MessagePort): Promise<RenderReply> {
  if (math === null && mayContainMath(request.text)) math = await loadMathRenderer();
  const started = performance.now();
  const { blocks: produced, fullRender } = rendererFor(request.interactive).render(request.text);
  const rendered = produced.map(({ html, line }) => ({ html: boundedBlockHtml(html), line }));
  const renderMs = performance.now() - started;
  if (request.fresh) previous = new Map();
  const blocks = rendered.map(({ html, line }): SentBlock => {
    const same = previous.get(html);
    return same === undefined ? { html, line } : { same, line };
  });
  previous = new Map(rendered.map((block, index) => [block.html, index]));
  const hasMath = math !== null && mayContainMath(request.text);
  const message: RenderMessage = { type: 'render', seq: request.seq, blocks, math: hasMath };
  port.postMessage(message);
  return { type: 'rendered', seq: request.seq, renderMs, fullRender };
}

self.addEventListener('message', (event: MessageEvent<ToWorkerMessage>) => {
  const data = event.data;
  if (data?.type === 'connect-frame') {
    framePort?.close();
    framePort = event.ports[0] ?? null;
    return;
  }
  if (data?.type !== 'render' || !framePort) return;
  render(data, framePort).then(
    (reply) => self.postMessage(reply),
    (error: unknown) => console.error('coedit: preview render failed', error),
  );
});
