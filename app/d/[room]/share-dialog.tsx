'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { type Role, readClaimsUnverified } from '../../../lib/token';
import { pageLink } from './access';
import { useSession } from './collab-root';
import styles from './doc.module.css';
import { LinksClient, type ShareLink } from './links-client';
import type { CollabSession } from './session';
import { copyText } from './share-buttons';

const ROLE_TITLES: Record<Role, string> = { edit: 'Can edit', view: 'Can view' };

/** "Share": the room's edit and view links, with copy, revoke and create. Editors only. */
export function ShareButton() {
  const session = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  if (!session || session.readOnly || !session.token) return null;
  return (
    <>
      {/* Dialog first: the header styles its last button as the primary action. */}
      <dialog
        ref={dialog}
        className={styles.shareDialog}
        data-testid="share-dialog"
        aria-labelledby="share-heading"
        onClose={() => {
          setOpen(false);
          // A modal <dialog> traps focus and closes on Escape; focus goes back to its opener.
          opener.current?.focus();
        }}
      >
        {open ? <ShareLinks session={session} onDone={() => dialog.current?.close()} /> : null}
      </dialog>
      <button
        ref={opener}
        type="button"
        className={styles.button}
        data-testid="share-button"
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        Share
      </button>
    </>
  );
}

function ShareLinks({ session, onDone }: { session: CollabSession; onDone: () => void }) {
  const [links, setLinks] = useState<ShareLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const client = useRef(new LinksClient(session.relayUrl, session.room, session.token ?? ''));

  const run = useCallback(async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      setLinks(await client.current.list());
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }, []);

  useEffect(() => {
    void run(async () => {});
  }, [run]);

  const ownLinkId = session.token ? readClaimsUnverified(session.token)?.linkId : null;
  return (
    <div className={styles.shareBody}>
      <h2 id="share-heading" className={styles.shareHeading}>
        Share this document
      </h2>
      <p className={styles.shareHint}>
        Anyone with a link gets its rights. Revoke a link to lock out everyone using it, at once.
      </p>
      {error ? (
        <p className={styles.shareError} role="alert" data-testid="share-error">
          {error}
        </p>
      ) : null}
      {links === null && !error ? <p className={styles.shareHint}>Loading links…</p> : null}
      {(['edit', 'view'] as const).map((role) => (
        <section key={role} className={styles.shareSection} aria-label={ROLE_TITLES[role]}>
          <h3 className={styles.shareRole}>{ROLE_TITLES[role]}</h3>
          {links
            ?.filter((link) => link.role === role)
            .map((link) => (
              <LinkRow
                key={link.linkId}
                room={session.room}
                link={link}
                own={link.linkId === ownLinkId}
                onRevoke={() => run(() => client.current.revoke(link.linkId))}
              />
            ))}
          <button
            type="button"
            className={styles.linkButton}
            data-testid={`new-${role}-link`}
            onClick={() => run(() => client.current.create(role))}
          >
            New {role} link
          </button>
        </section>
      ))}
      <div className={styles.shareFooter}>
        <button type="button" className={styles.button} onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

function LinkRow(props: { room: string; link: ShareLink; own: boolean; onRevoke: () => void }) {
  const url = pageLink(props.room, props.link.token);
  const [copied, setCopied] = useState(false);
  return (
    <div
      className={styles.shareLink}
      data-testid="share-link"
      data-role={props.link.role}
      data-link-id={props.link.linkId}
    >
      <input
        className={styles.shareUrl}
        data-testid="share-link-url"
        aria-label={`${ROLE_TITLES[props.link.role]} link`}
        readOnly
        value={url}
        onFocus={(event) => event.currentTarget.select()}
      />
      <button
        type="button"
        className={styles.button}
        onClick={async () => setCopied(await copyText(url))}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
      <button
        type="button"
        className={`${styles.button} ${styles.revoke}`}
        data-testid="revoke-link"
        title={props.own ? 'This is the link you opened: revoking it disconnects you too.' : ''}
        onClick={props.onRevoke}
      >
        Revoke{props.own ? ' (yours)' : ''}
      </button>
    </div>
  );
}

/** Shown to holders of a view link: they read along live but cannot change anything. */
export function ViewOnlyBadge() {
  const session = useSession();
  if (!session?.readOnly) return null;
  return (
    <span className={styles.viewOnly} data-testid="view-only-badge">
      View only
    </span>
  );
}
