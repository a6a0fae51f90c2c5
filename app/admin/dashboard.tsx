'use client';

import Link from 'next/link';
import { type FormEvent, useEffect, useState, useSyncExternalStore } from 'react';
import { relayHttpBase } from '../d/[room]/links-client';
import { Logo } from '../logo';
import styles from './admin.module.css';
import { BusiestRoomsTable } from './busiest-rooms';
import { Charts } from './charts';
import { InstanceList } from './instance-list';
import { watchDashboard } from './relay-stream';
import { DashboardTimeline } from './timeline';
import { saveToken, takeInitialToken } from './token';

/** The relay's HTTP address: configured on the server, else this host on the relay's port. */
function relayHttpUrl(configured: string | null, port: string): string {
  if (configured) return relayHttpBase(configured);
  return `${window.location.protocol}//${window.location.hostname}:${port}`;
}

/** Re-render every second, so ages and "unreachable" advance while no sample arrives. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function Dashboard({ relayUrl, relayPort }: { relayUrl: string | null; relayPort: string }) {
  // undefined until read on the client (sessionStorage and the fragment are the browser's).
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const [timeline, setTimeline] = useState(() => new DashboardTimeline());
  useSyncExternalStore(timeline.subscribe, timeline.getVersion, () => 0);
  const now = useNow();

  useEffect(() => setToken(takeInitialToken()), []);

  useEffect(() => {
    if (token === undefined) return;
    const fresh = new DashboardTimeline();
    setTimeline(fresh);
    return watchDashboard(relayHttpUrl(relayUrl, relayPort), token, {
      onEvent(event) {
        if (event.type === 'history') {
          fresh.loadHistory(event.data, Date.now());
          fresh.setStream({ kind: 'live' });
        } else fresh.add(event.data, Date.now());
      },
      onDown: (reason, retryInMs) =>
        fresh.setStream({ kind: 'reconnecting', reason, retryAt: Date.now() + retryInMs }),
      onRefused: (status, message) => fresh.setStream({ kind: 'refused', status, message }),
    });
  }, [token, relayUrl, relayPort]);

  const chooseToken = (value: string | null) => {
    saveToken(value);
    setToken(value);
  };

  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          <Logo />
          <span className="visually-hidden">coedit home</span>
        </Link>
        <h1 className={styles.title}>Operations</h1>
        <TokenForm token={token ?? null} onToken={chooseToken} />
      </header>
      <StreamBanner timeline={timeline} now={now} />
      <main className={styles.main}>
        <InstanceList timeline={timeline} now={now} />
        <Charts timeline={timeline} />
        <BusiestRoomsTable timeline={timeline} />
      </main>
    </div>
  );
}

function StreamBanner({ timeline, now }: { timeline: DashboardTimeline; now: number }) {
  const { stream } = timeline;
  if (stream.kind === 'live') return null;
  if (stream.kind === 'connecting')
    return (
      <p className={styles.banner} role="status" data-testid="stream-banner">
        Connecting to the relay…
      </p>
    );
  if (stream.kind === 'refused')
    return (
      <p
        className={`${styles.banner} ${styles.bannerDanger}`}
        role="alert"
        data-testid="stream-banner"
        data-state="refused"
      >
        The relay refused the token ({stream.status}): {stream.message}. Paste an admin token (
        <code>npm run token -- --admin</code>).
      </p>
    );
  const seconds = Math.max(0, Math.ceil((stream.retryAt - now) / 1000));
  return (
    <p
      className={`${styles.banner} ${styles.bannerDanger}`}
      role="alert"
      data-testid="stream-banner"
      data-state="unreachable"
    >
      Relay unreachable ({stream.reason}).{' '}
      {seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…'} The charts show the last
      data received.
    </p>
  );
}

function TokenForm({
  token,
  onToken,
}: {
  token: string | null;
  onToken: (token: string | null) => void;
}) {
  const [draft, setDraft] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = draft.trim();
    if (value) onToken(value);
    setDraft('');
  };
  return (
    <form className={styles.tokenForm} onSubmit={submit}>
      <label className={styles.tokenLabel}>
        <span>{token ? 'Admin token set' : 'Admin token'}</span>
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={draft}
          placeholder={token ? 'Replace…' : 'Paste a token'}
          onChange={(e) => setDraft(e.target.value)}
          className={styles.tokenInput}
        />
      </label>
      <button type="submit" className={styles.button} disabled={!draft.trim()}>
        Use
      </button>
      {token && (
        <button type="button" className={styles.button} onClick={() => onToken(null)}>
          Forget
        </button>
      )}
    </form>
  );
}
