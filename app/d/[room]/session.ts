import type { EditorView } from '@codemirror/view';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { postChatMessage } from '../../../lib/chat';
import { CLIENT_KEY_PARAM } from '../../../lib/client-key';
import { type CloseCodeInfo, describeCloseCode } from '../../../lib/close-codes';
import { DOC_META, DOC_TEXT, MetaKey } from '../../../lib/doc-schema';
import { effectiveTitle } from '../../../lib/doc-title';
import { DEFAULT_LANGUAGE, type LanguageId, languageOf } from '../../../lib/languages';
import { normalizeName } from '../../../lib/names';
import { ACK_QUERY_PARAM } from '../../../lib/protocol';
import { generateRoomId } from '../../../lib/room-id';
import { RELAY_TOKEN_PARAM, type Role } from '../../../lib/token';
import { AuthorDirectory } from './authorship/author-directory';
import { ChatFeed } from './chat/chat-feed';
import { clientKeyOf } from './client-key';
import { CommentFeed } from './comments/comment-feed';
import { Follow } from './follow';
import { HeadingTitle } from './heading-title';
import { type AwarenessUser, PresenceFeed } from './presence-feed';
import { JitteredReconnect } from './reconnect';
import { SaveTracker } from './save-tracker';
import { Store } from './store';

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** Set when the relay closed with a fatal code: we stopped reconnecting and say why. */
  readonly fatal: CloseCodeInfo | null;
}

export interface DocMeta {
  readonly title: string;
  readonly language: LanguageId;
}

/** Meta before the session exists (server render, first paint). */
export const INITIAL_META: DocMeta = { title: '', language: DEFAULT_LANGUAGE };

export interface SessionOptions {
  readonly room: string;
  /** Base URL of the relay, e.g. `ws://localhost:1234`; the room is appended as a path. */
  readonly relayUrl: string;
  readonly user: AwarenessUser;
  /** Share token for the relay (`?token=`), when the page has one. */
  readonly token?: string | null;
  /** 'view' makes every editing control read-only (the relay refuses writes regardless). */
  readonly role?: Role;
}

declare global {
  interface Window {
    /** Read-only view of the document text, for end-to-end tests and debugging. */
    __coeditText?: () => string;
  }
}

const sameConnection = (a: ConnectionState, b: ConnectionState) =>
  a.status === b.status && a.fatal === b.fatal;
const sameMeta = (a: DocMeta, b: DocMeta) => a.title === b.title && a.language === b.language;

/**
 * Everything one open document needs in the browser: the Y.Doc, its relay connection (with the
 * ack extension and jittered reconnects), offline persistence in IndexedDB, awareness and undo.
 * Created and destroyed as a unit by `useCollabSession`; holds its observable state in stores.
 */
/** The relay's last author directory, kept in the room's IndexedDB database (custom store). */
const AUTHORS_RECORD = 'authors';

export class CollabSession {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText(DOC_TEXT);
  readonly meta: Y.Map<unknown> = this.doc.getMap(DOC_META);
  readonly provider: WebsocketProvider;
  /** Undoes only this browser's edits: it tracks the editor binding's origin and nothing else. */
  readonly undoManager = new Y.UndoManager(this.text, { trackedOrigins: new Set() });
  readonly connection = new Store<ConnectionState>(
    { status: 'connecting', fatal: null },
    sameConnection,
  );
  readonly metaState: Store<DocMeta>;
  /** The first markdown heading's text: the title while nobody has set one. */
  readonly headingTitle: Store<string>;
  readonly save: SaveTracker;
  readonly presence: PresenceFeed;
  /** Whose cursor the editor keeps in view (follow mode), if anyone's. */
  readonly follow: Follow;
  /** The editor showing this document, once mounted (the preview's scroll sync follows it). */
  readonly editorView = new Store<EditorView | null>(null);
  readonly role: Role;
  /** The share token this session connects with (null on an open relay). */
  readonly token: string | null;
  readonly room: string;
  /** The relay's ws(s) base URL (its HTTP endpoints share host and port). */
  readonly relayUrl: string;
  private readonly persistence: IndexeddbPersistence;
  private directory: AuthorDirectory | null = null;
  /** The chat beside the document (lib/chat.ts). */
  readonly chat: ChatFeed;
  /** Comment threads on the text (lib/comments.ts). */
  readonly comments: CommentFeed;
  /** Whether the editor has a non-empty selection (for "Comment"); set by the editor. */
  readonly hasSelection = new Store(false);
  private readonly reconnect: JitteredReconnect;
  private readonly cleanups: Array<() => void> = [];
  private user: AwarenessUser;

  constructor({ room, relayUrl, user, token = null, role = 'edit' }: SessionOptions) {
    this.user = user;
    this.role = role;
    this.token = token;
    this.room = room;
    this.relayUrl = relayUrl;
    this.metaState = new Store(this.readMeta(), sameMeta);
    const onMeta = () => this.metaState.set(this.readMeta());
    this.meta.observe(onMeta);
    this.cleanups.push(() => this.meta.unobserve(onMeta));
    const heading = new HeadingTitle(this.text, this.metaState);
    this.headingTitle = heading.store;
    this.cleanups.push(() => heading.dispose());

    this.persistence = new IndexeddbPersistence(`coedit:${room}`, this.doc);
    this.provider = new WebsocketProvider(relayUrl, room, this.doc, {
      connect: false,
      params: { [ACK_QUERY_PARAM]: '1', ...(token ? { [RELAY_TOKEN_PARAM]: token } : {}) },
      shouldReconnect: (event) => !describeCloseCode(event.code).fatal,
    });
    this.provider.awareness.setLocalStateField('user', user);
    this.chat = new ChatFeed(this.doc, room, (client) => this.authorDirectory().isMine(client));
    this.cleanups.push(() => this.chat.dispose());
    this.comments = new CommentFeed(this.text, this.readOnly);
    this.cleanups.push(() => this.comments.dispose());
    const baselineChat = (synced: boolean) => {
      if (!synced) return;
      this.chat.baseline();
      this.provider.off('sync', baselineChat);
    };
    this.provider.on('sync', baselineChat);
    this.cleanups.push(() => this.provider.off('sync', baselineChat));
    this.save = new SaveTracker(this.doc, this.provider);
    this.presence = new PresenceFeed(this.provider.awareness);
    this.follow = new Follow(this.provider.awareness);
    this.reconnect = new JitteredReconnect(this.provider);
    this.watchConnection();
    // The relay binds our client ids to this key: it proves they are ours after a reconnect.
    let destroyed = false;
    this.cleanups.push(() => {
      destroyed = true;
    });
    void clientKeyOf(this.persistence).then((key) => {
      if (destroyed) return;
      this.provider.params[CLIENT_KEY_PARAM] = key;
      this.provider.connect();
    });

    const readText = () => this.text.toString();
    window.__coeditText = readText;
    this.cleanups.push(() => {
      if (window.__coeditText === readText) delete window.__coeditText;
    });
  }

  /** Who wrote with which client id (asked of the relay once "Show authors" is first on). */
  authorDirectory(): AuthorDirectory {
    this.directory ??= new AuthorDirectory(this.provider, this.room, this.provider.awareness, {
      get: async () => JSON.parse(String(await this.persistence.get(AUTHORS_RECORD))),
      // Stored as JSON text: y-indexeddb types its custom records as primitives.
      set: (value) => this.persistence.set(AUTHORS_RECORD, JSON.stringify(value)),
    });
    return this.directory;
  }

  /** Send a chat message (view links cannot write, so they cannot chat). */
  postChat(text: string): void {
    if (this.readOnly) return;
    postChatMessage(this.doc, text, generateRoomId(), Date.now());
  }

  get awareness() {
    return this.provider.awareness;
  }

  get readOnly(): boolean {
    return this.role === 'view';
  }

  /** The title to show (tab, recent documents, downloads): explicit, else the first heading. */
  displayTitle(): string {
    return effectiveTitle(this.metaState.get().title, this.headingTitle.get());
  }

  setTitle(title: string): void {
    if (this.readOnly) return;
    if (title !== this.metaState.get().title) this.meta.set(MetaKey.Title, title);
  }

  setLanguage(language: LanguageId): void {
    if (this.readOnly) return;
    if (language !== this.metaState.get().language) this.meta.set(MetaKey.Language, language);
  }

  /** Rename yourself everywhere (awareness); ignores names that normalise to nothing. */
  setName(name: string): AwarenessUser | null {
    const normalized = normalizeName(name);
    if (!normalized) return null;
    this.user = { ...this.user, name: normalized };
    this.awareness.setLocalStateField('user', this.user);
    return this.user;
  }

  /** Skip the backoff wait, e.g. from a "Retry now" button. */
  retryNow(): void {
    this.reconnect.reconnectNow();
  }

  destroy(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.directory?.dispose();
    this.reconnect.dispose();
    this.follow.dispose();
    this.presence.dispose();
    this.save.dispose();
    this.undoManager.destroy();
    this.provider.destroy();
    void this.persistence.destroy();
    this.doc.destroy();
  }

  private readMeta(): DocMeta {
    const title = this.meta.get(MetaKey.Title);
    return {
      title: typeof title === 'string' ? title : '',
      language: languageOf(this.meta.get(MetaKey.Language)).id,
    };
  }

  private setStatus(status: ConnectionStatus, fatal: CloseCodeInfo | null = null): void {
    this.connection.set({ status, fatal });
    this.save.setOffline(status === 'offline');
  }

  private watchConnection(): void {
    const provider = this.provider;
    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected') this.setStatus('connected');
    };
    // "connecting" is only shown before the first attempt ends; after a drop we stay "offline"
    // (and keep retrying) until a connection is up again.
    const onClose = () => this.setStatus('offline', this.connection.get().fatal);
    const onClosed = ({ code }: { code: number }) =>
      this.setStatus('offline', describeCloseCode(code));
    // The socket of a machine that went offline may take a while to notice; close it now so the
    // backoff starts, and skip the wait when the network returns.
    const onOffline = () => {
      this.setStatus('offline', this.connection.get().fatal);
      provider.ws?.close();
    };
    const onOnline = () => this.reconnect.reconnectNow();
    provider.on('status', onStatus);
    provider.on('connection-close', onClose);
    provider.on('closed', onClosed);
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    this.cleanups.push(() => {
      provider.off('status', onStatus);
      provider.off('connection-close', onClose);
      provider.off('closed', onClosed);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
    });
  }
}
