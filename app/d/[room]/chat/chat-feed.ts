/**
 * The chat of a session as stores for the panel: the messages (lib/chat.ts) and how many of them
 * others wrote since you last had the panel open. "Read up to" is remembered per document in
 * this browser; a browser that never opened the chat starts with everything read, so a newcomer
 * is not greeted by a thousand unread messages.
 */
import type * as Y from 'yjs';
import { type ChatMessage, chatOf, readChat } from '../../../../lib/chat';
import { Store } from '../store';

const readKey = (room: string) => `coedit:chat-read:${room}`;

function readStored(room: string): string | null {
  try {
    return window.localStorage.getItem(readKey(room));
  } catch {
    return null;
  }
}

function store(room: string, id: string): void {
  try {
    window.localStorage.setItem(readKey(room), id);
  } catch {
    // Storage blocked or full: unread counts last for this page only.
  }
}

const sameList = (a: readonly ChatMessage[], b: readonly ChatMessage[]) =>
  a.length === b.length && a.every((m, i) => m === b[i]);

export class ChatFeed {
  readonly messages = new Store<readonly ChatMessage[]>([], sameList);
  readonly unread = new Store(0);
  private open = false;
  private readUpTo: string | null;
  private readonly chat: Y.Array<Y.Map<unknown>>;

  constructor(
    private readonly doc: Y.Doc,
    private readonly room: string,
    /** Whether a client id writes as you (any of your sessions). */
    private readonly isMine: (client: number) => boolean,
  ) {
    this.chat = chatOf(doc);
    this.readUpTo = readStored(room);
    this.chat.observeDeep(this.refresh);
    this.refresh();
  }

  dispose(): void {
    this.chat.unobserveDeep(this.refresh);
  }

  /** The panel opened or closed; while open, everything is read. */
  setOpen(open: boolean): void {
    this.open = open;
    if (open) this.markRead();
  }

  /** The local copy (IndexedDB) or the relay delivered the chat for the first time. */
  baseline(): void {
    if (this.readUpTo === null) this.markRead();
  }

  private markRead(): void {
    // '' reads as "before the first message": nothing had been written yet.
    const upTo = this.messages.get().at(-1)?.id ?? '';
    this.readUpTo = upTo;
    store(this.room, upTo);
    this.unread.set(0);
  }

  private readonly refresh = (): void => {
    const next = readChat(this.doc);
    // Keep unchanged messages as the same objects, so the list re-renders only what changed.
    const previous = new Map(this.messages.get().map((m) => [m.id, m]));
    this.messages.set(
      next.map((m) => {
        const old = previous.get(m.id);
        return old && old.text === m.text && old.at === m.at && old.client === m.client ? old : m;
      }),
    );
    if (this.open || this.readUpTo === null) {
      if (this.open) this.markRead();
      return;
    }
    const messages = this.messages.get();
    const seen = messages.findIndex((m) => m.id === this.readUpTo);
    // Trimmed away (over a thousand since): everything still here counts as new.
    const fresh = messages.slice(seen + 1);
    this.unread.set(fresh.filter((m) => !this.isMine(m.client)).length);
  };
}
