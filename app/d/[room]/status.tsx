'use client';

import { useSession } from './collab-root';
import styles from './doc.module.css';
import type { SaveState } from './save-tracker';
import type { ConnectionState, ConnectionStatus } from './session';
import { useStore } from './store';

const CONNECTION_LABELS: Record<ConnectionStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  offline: 'Offline',
};

const SAVE_LABELS: Record<SaveState, string> = {
  unknown: '',
  saving: 'Saving…',
  saved: 'All changes saved',
  offline: 'Offline: changes are kept on this device',
};

const INITIAL: ConnectionState = { status: 'connecting', fatal: null };

/** Connection state: a coloured dot and a label; offline offers to retry without waiting. */
export function ConnectionStatusBadge() {
  const session = useSession();
  const { status, fatal } = useStore(session?.connection, INITIAL);
  return (
    <span className={styles.connection} data-testid="connection-status" data-status={status}>
      <span className={styles.dot} aria-hidden="true" />
      <span>{fatal ? 'Disconnected' : CONNECTION_LABELS[status]}</span>
      {status === 'offline' && !fatal && session ? (
        <button type="button" className={styles.linkButton} onClick={() => session.retryNow()}>
          Retry now
        </button>
      ) : null}
    </span>
  );
}

/** "Saving…" / "All changes saved", driven by the relay's acknowledgements. */
export function SaveStatus() {
  const session = useSession();
  const state = useStore(session?.save.state, 'unknown');
  return (
    <span className={styles.save} data-testid="save-status" data-state={state} aria-live="polite">
      {SAVE_LABELS[state]}
    </span>
  );
}

/** Why the relay refused us, shown instead of an endless reconnect loop. */
export function FatalError() {
  const session = useSession();
  const { fatal } = useStore(session?.connection, INITIAL);
  if (!fatal) return null;
  return (
    <div className={styles.fatal} role="alert" data-testid="fatal-error" data-code={fatal.code}>
      <strong>Can’t connect to this document.</strong> {fatal.message}
    </div>
  );
}
