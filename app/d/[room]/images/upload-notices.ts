import { Store } from '../store';

/** What the editor's image status line says. */
export type UploadNotice =
  | { readonly kind: 'idle' }
  | { readonly kind: 'uploading'; readonly text: string; readonly percent: number | null }
  | { readonly kind: 'added'; readonly text: string }
  | { readonly kind: 'refused'; readonly text: string };

export const IDLE: UploadNotice = Object.freeze({ kind: 'idle' });

/** A confirmation stays this long; a refusal stays until dismissed or replaced. */
const ADDED_VISIBLE_MS = 4000;

/**
 * The editor's image-upload status, outside React: the paste/drop handler writes it, the status
 * line (upload-status.tsx) shows it.
 */
export class UploadNotices extends Store<UploadNotice> {
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super(IDLE, (a, b) => JSON.stringify(a) === JSON.stringify(b));
  }

  uploading(text: string, percent: number | null): void {
    this.show({ kind: 'uploading', text, percent });
  }

  added(text: string): void {
    this.show({ kind: 'added', text });
    this.clearTimer = setTimeout(() => this.dismiss(), ADDED_VISIBLE_MS);
  }

  refused(text: string): void {
    this.show({ kind: 'refused', text });
  }

  dismiss(): void {
    this.show(IDLE);
  }

  private show(notice: UploadNotice): void {
    clearTimeout(this.clearTimer);
    this.set(notice);
  }
}
