import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { isValidRoomId } from '../../../lib/room-id';
import { PAGE_TOKEN_PARAM, readClaimsUnverified } from '../../../lib/token';
import { Logo } from '../../logo';
import { AuthorsPanel } from './authorship/authors-panel';
import { ChatPanel } from './chat/chat-panel';
import { CollabRoot } from './collab-root';
import { CommentsPanel } from './comments/comments-panel';
import styles from './doc.module.css';
import { DownloadButton } from './download-menu';
import { Editor } from './editor';
import { FollowChip } from './follow-chip';
import { HistoryButton } from './history-button';
import { initialModeScript } from './initial-mode-script';
import { LanguagePicker } from './language-picker';
import { ModeSwitch } from './mode-switch';
import { Presence } from './presence';
import { PreviewPane } from './preview-pane';
import { PrintShortcut } from './print-shortcut';
import { CopyLinkButton } from './share-buttons';
import { ShareButton, ViewOnlyBadge } from './share-dialog';
import { ConnectionStatusBadge, FatalError, SaveStatus } from './status';
import { TitleInput } from './title-input';
import { Workspace } from './workspace';

export const metadata: Metadata = { title: 'Untitled · coedit' };

/** Port the browser uses for the relay when RELAY_URL is not set (same host as the page). */
const DEFAULT_RELAY_PORT = '1234';

/**
 * The document page. Server-rendered layout; the interactive parts are client leaves sharing one
 * collaboration session through CollabRoot.
 *
 * Links are `/d/<room>?t=<share token>` (lib/token.ts). The token is handed to the browser,
 * which sends it to the relay; the relay is what verifies it and enforces the role, so this
 * stateless page needs no secret to render.
 */
export default async function DocumentPage({
  params,
  searchParams,
}: {
  params: Promise<{ room: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { room } = await params;
  const rawToken = (await searchParams)[PAGE_TOKEN_PARAM];
  const token = typeof rawToken === 'string' && rawToken !== '' ? rawToken : null;
  if (!isValidRoomId(room)) notFound();
  // Read the relay's address per request, so one build serves any deployment.
  await connection();
  const relayUrl = process.env.RELAY_URL?.trim() || null;
  const relayPort = process.env.RELAY_PORT?.trim() || DEFAULT_RELAY_PORT;
  // Only to pick the first mode (the relay verifies the token and enforces the role).
  const urlRole = token ? (readClaimsUnverified(token)?.role ?? 'edit') : null;

  return (
    <CollabRoot room={room} relayUrl={relayUrl} relayPort={relayPort} token={token}>
      <div className={styles.shell}>
        <header className={styles.header}>
          {/* Named by text, not aria-label: the mark's "co" is a logo, not a label to match. */}
          <Link href="/" className={styles.brand}>
            <Logo />
            <span className="visually-hidden">coedit home</span>
          </Link>
          <div className={styles.titleGroup}>
            <h1 className={styles.titleHeading}>
              <TitleInput />
            </h1>
            <div className={styles.statusLine}>
              <ConnectionStatusBadge />
              <SaveStatus />
              <ViewOnlyBadge />
            </div>
          </div>
          <div className={styles.actions}>
            <ModeSwitch reader={urlRole === 'view'} />
            <LanguagePicker />
            <HistoryButton />
            <DownloadButton />
            <CopyLinkButton />
            <ShareButton />
          </div>
        </header>
        <FatalError />
        <PrintShortcut />
        <Workspace room={room} urlRole={urlRole}>
          <section className={styles.editorPane} aria-label="Editor">
            <FollowChip />
            <Editor />
          </section>
          <PreviewPane />
          <aside className={styles.sidebar}>
            <Presence />
            <AuthorsPanel />
            <CommentsPanel />
            <ChatPanel />
          </aside>
        </Workspace>
        {/* Gives the workspace its mode before the first paint (see initial-mode-script.ts). */}
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: our own code and JSON-escaped constants. */}
        <script dangerouslySetInnerHTML={{ __html: initialModeScript(room, urlRole) }} />
      </div>
    </CollabRoot>
  );
}
