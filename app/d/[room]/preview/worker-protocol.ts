/** Messages between the page and the preview's render worker (same origin, our own code). */

export interface RenderRequest {
  readonly type: 'render';
  readonly seq: number;
  readonly text: string;
  /** Task checkboxes enabled (editors) or disabled (view links). */
  readonly interactive: boolean;
  /** The frame starts empty: send every block in full (no `same` references). */
  readonly fresh: boolean;
}

/**
 * The page hands the worker one end of a MessageChannel whose other end it gave the frame
 * (transferred with this message): renders go from the worker straight to the frame, so they
 * do not wait for the page's main thread, which is busy with the editor while someone types.
 * The worker only ever sends on it; whatever the frame posts back on it is never read.
 */
export interface ConnectFrameRequest {
  readonly type: 'connect-frame';
}

export type ToWorkerMessage = RenderRequest | ConnectFrameRequest;

/** The worker → the page, once the render `seq` went to the frame: what it cost. */
export interface RenderReply {
  readonly type: 'rendered';
  readonly seq: number;
  /** Time the worker spent rendering, in ms. */
  readonly renderMs: number;
  /** Why the whole text was rendered; null when only the blocks around the edit were. */
  readonly fullRender: string | null;
}
