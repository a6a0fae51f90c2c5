/**
 * The document's comment threads (lib/comments.ts) as a store for the panel and the editor's
 * highlights. A change to the threads shows at once; an edit of the text only moves anchors, so
 * it is followed at most every TEXT_THROTTLE_MS (the highlights map themselves meanwhile).
 */
import type * as Y from 'yjs';
import {
  type CommentThread,
  deleteMessage,
  editMessage,
  readThreads,
  reply,
  setResolved,
  startThread,
  threadsOf,
} from '../../../../lib/comments';
import { generateRoomId } from '../../../../lib/room-id';
import { Store } from '../store';

const TEXT_THROTTLE_MS = 100;
const NO_THREADS: readonly CommentThread[] = [];

export class CommentFeed {
  readonly threads = new Store<readonly CommentThread[]>(NO_THREADS);
  /** The thread the user is looking at (its anchor is highlighted more strongly). */
  readonly active = new Store<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly doc: Y.Doc;

  constructor(
    private readonly text: Y.Text,
    private readonly readOnly: boolean,
  ) {
    this.doc = text.doc as Y.Doc;
    threadsOf(this.doc).observeDeep(this.refresh);
    text.observe(this.onText);
    this.refresh();
  }

  dispose(): void {
    threadsOf(this.doc).unobserveDeep(this.refresh);
    this.text.unobserve(this.onText);
    if (this.timer !== null) clearTimeout(this.timer);
  }

  start(range: { from: number; to: number }, text: string): string | null {
    if (this.readOnly) return null;
    const threadId = generateRoomId();
    startThread(this.text, range, { threadId, messageId: generateRoomId(), text, at: Date.now() });
    return threadId;
  }

  reply(threadId: string, text: string): void {
    if (!this.readOnly) reply(this.doc, threadId, { id: generateRoomId(), text, at: Date.now() });
  }

  edit(threadId: string, messageId: string, text: string): void {
    if (!this.readOnly) editMessage(this.doc, threadId, messageId, text, Date.now());
  }

  remove(threadId: string, messageId: string): void {
    if (!this.readOnly) deleteMessage(this.doc, threadId, messageId);
  }

  setResolved(threadId: string, resolved: boolean): void {
    if (!this.readOnly) setResolved(this.doc, threadId, resolved);
  }

  private readonly onText = (): void => {
    if (this.timer !== null || this.threads.get().length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, TEXT_THROTTLE_MS);
  };

  private readonly refresh = (): void => {
    this.threads.set(readThreads(this.text));
  };
}
