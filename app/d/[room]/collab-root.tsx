'use client';

import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { CloseCode } from '../../../lib/close-codes';
import { forgetRecentDoc, recordRecentDoc } from '../../recent-docs-store';
import { resolveAccess } from './access';
import { loadIdentity } from './identity';
import { CollabSession } from './session';

const SessionContext = createContext<CollabSession | null>(null);

/** The open document's session, or null before it exists (server render, first paint). */
export function useSession(): CollabSession | null {
  return useContext(SessionContext);
}

/** The relay URL: configured on the server, else the page's host on the relay's port. */
function resolveRelayUrl(configured: string | null, port: string): string {
  if (configured) return configured;
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.hostname}:${port}`;
}

/**
 * Creates the Y.Doc, relay connection and offline storage in one effect and destroys them in
 * its cleanup, so React StrictMode's mount → unmount → mount leaves exactly one live session.
 */
function useCollabSession(
  room: string,
  relayUrl: string | null,
  relayPort: string,
  urlToken: string | null,
) {
  const [session, setSession] = useState<CollabSession | null>(null);
  useEffect(() => {
    const created = new CollabSession({
      room,
      relayUrl: resolveRelayUrl(relayUrl, relayPort),
      user: loadIdentity(),
      ...resolveAccess(room, urlToken),
    });
    setSession(created);
    return () => {
      created.destroy();
      setSession(null);
    };
  }, [room, relayUrl, relayPort, urlToken]);
  return session;
}

/**
 * Keeps the browser tab title and this browser's recent-documents list in step with the doc; a
 * document the relay says was deleted leaves the list.
 */
function useTitleSync(room: string, session: CollabSession | null) {
  useEffect(() => {
    if (!session) return;
    let lastTitle: string | null = null;
    const wanted = () => `${session.displayTitle() || 'Untitled'} · coedit`;
    const deleted = () => session.connection.get().fatal?.code === CloseCode.DocumentDeleted;
    const sync = () => {
      const title = session.displayTitle();
      if (document.title !== wanted()) document.title = wanted();
      if (title !== lastTitle && !deleted()) recordRecentDoc(room, title);
      lastTitle = title;
    };
    const unsubscribeConnection = session.connection.subscribe(() => {
      if (deleted()) forgetRecentDoc(room);
    });
    sync();
    // Next streams page metadata and may write <title> after this effect ran: win it back.
    const observer = new MutationObserver(() => {
      if (document.title !== wanted()) document.title = wanted();
    });
    observer.observe(document.head, { childList: true, subtree: true, characterData: true });
    const unsubscribeMeta = session.metaState.subscribe(sync);
    const unsubscribeHeading = session.headingTitle.subscribe(sync);
    return () => {
      observer.disconnect();
      unsubscribeMeta();
      unsubscribeHeading();
      unsubscribeConnection();
    };
  }, [room, session]);
}

export function CollabRoot(props: {
  room: string;
  relayUrl: string | null;
  relayPort: string;
  /** The `?t=` share token of the page URL, if any. */
  token?: string | null;
  children: ReactNode;
}) {
  const session = useCollabSession(
    props.room,
    props.relayUrl,
    props.relayPort,
    props.token ?? null,
  );
  useTitleSync(props.room, session);
  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}
