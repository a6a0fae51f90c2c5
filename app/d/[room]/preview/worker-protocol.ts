import type { SentBlock } from '../../../../lib/markdown/preview-protocol';

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

export interface RenderReply {
  readonly type: 'rendered';
  readonly seq: number;
  /** Top-level blocks, unsanitized (the frame sanitizes them), unchanged ones by reference. */
  readonly blocks: readonly SentBlock[];
  readonly math: boolean;
  /** Time the worker spent rendering, in ms. */
  readonly renderMs: number;
  /** Why the whole text was rendered; null when only the blocks around the edit were. */
  readonly fullRender: string | null;
}
