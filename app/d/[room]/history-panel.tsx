'use client';

import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { restoreText } from '../../../lib/restore-text';
import styles from './history.module.css';
import { HistoryApi, type VersionInfo } from './history-api';
import { useModalFocus } from './modal-focus';
import type { CollabSession } from './session';
import { VersionDiff } from './version-diff';

/** Origin of restore transactions; the session's undo manager tracks it so Ctrl+Z undoes one. */
export const RESTORE_ORIGIN = Symbol('coedit-restore');

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function label(version: VersionInfo): string {
  return version.name ?? timeFormat.format(version.createdAt);
}

function myName(session: CollabSession): string {
  const user = session.awareness.getLocalState()?.user as { name?: unknown } | undefined;
  return typeof user?.name === 'string' ? user.name : '';
}

/** Apply `text` as one undoable local edit (others' concurrent edits merge as usual). */
function restore(session: CollabSession, text: string): void {
  const undo = session.undoManager;
  undo.addTrackedOrigin(RESTORE_ORIGIN);
  // Its own undo step: not merged with typing just before or after.
  undo.stopCapturing();
  restoreText(session.text, text, RESTORE_ORIGIN);
  undo.stopCapturing();
}

type Selected = { version: VersionInfo; text: string | null; error: string | null };

/** The history drawer: versions, "Save version", and a diff/restore view of the selected one. */
export function HistoryPanel({ session, onClose }: { session: CollabSession; onClose(): void }) {
  const api = useMemo(() => new HistoryApi(session.provider, session.provider.roomname), [session]);
  const [versions, setVersions] = useState<VersionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [restored, setRestored] = useState<string | null>(null);
  // View-only links may look back but not change anything (the relay refuses it too).
  const canEdit = session.role === 'edit';

  const reload = useCallback(async () => {
    try {
      setVersions(await api.list());
      setError(null);
    } catch (err) {
      setError(`Could not load versions: ${(err as Error).message}`);
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  // A modal drawer: focus moves in and stays in, Escape closes, focus returns to the opener.
  const panel = useRef<HTMLElement>(null);
  useModalFocus(panel, onClose);
  const headingId = useId();

  const select = async (version: VersionInfo) => {
    setRestored(null);
    setSelected({ version, text: null, error: null });
    try {
      const text = await api.text(version.id);
      setSelected((s) => (s?.version.id === version.id ? { ...s, text } : s));
    } catch (err) {
      const message = `Could not load this version: ${(err as Error).message}`;
      setSelected((s) => (s?.version.id === version.id ? { ...s, error: message } : s));
    }
  };

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || saving) return;
    setSaving(true);
    try {
      await api.save(trimmed, myName(session));
      setName('');
      await reload();
    } catch (err) {
      setError(`Could not save the version: ${(err as Error).message}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className={styles.backdrop}>
      <button
        type="button"
        className={styles.scrim}
        aria-label="Close version history"
        tabIndex={-1}
        onClick={onClose}
      />
      <section
        ref={panel}
        className={styles.panel}
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        tabIndex={-1}
        data-testid="history-panel"
        data-state={versions ? 'ready' : 'loading'}
      >
        <div className={styles.panelHeader}>
          <h2 id={headingId} className={styles.heading}>
            Version history
          </h2>
          <button type="button" className={styles.close} onClick={onClose}>
            <span aria-hidden="true">×</span>
            <span className="visually-hidden">Close</span>
          </button>
        </div>
        <div className={styles.body}>
          <div className={styles.timeline}>
            {canEdit ? null : (
              <p className={styles.muted}>
                View-only link: you can compare versions, not save or restore them.
              </p>
            )}
            <form className={styles.saveForm} onSubmit={save} hidden={!canEdit}>
              <input
                className={styles.nameInput}
                data-testid="version-name"
                aria-label="Version name"
                placeholder="Name this version"
                maxLength={100}
                value={name}
                onChange={(event) => setName(event.target.value)}
              />
              <button
                type="submit"
                className={styles.primary}
                data-testid="save-version"
                disabled={saving || !name.trim()}
              >
                {saving ? 'Saving…' : 'Save version'}
              </button>
            </form>
            {error ? <p className={styles.error}>{error}</p> : null}
            {versions === null && !error ? <p className={styles.muted}>Loading…</p> : null}
            {versions?.length === 0 ? (
              <p className={styles.muted}>
                No versions yet. Versions are saved automatically while you edit, or name one above.
              </p>
            ) : null}
            <ol className={styles.versions}>
              {versions?.map((version) => (
                <li key={version.id}>
                  <button
                    type="button"
                    className={styles.version}
                    data-testid="version-item"
                    data-kind={version.kind}
                    aria-current={selected?.version.id === version.id}
                    onClick={() => void select(version)}
                  >
                    <span className={styles.versionName}>{label(version)}</span>
                    {version.name ? (
                      <span className={styles.versionTime}>
                        {timeFormat.format(version.createdAt)}
                      </span>
                    ) : null}
                    <span className={styles.authors}>
                      {version.authors.length > 0
                        ? version.authors.join(', ')
                        : 'No edits recorded'}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </div>
          <div className={styles.detail}>
            {selected ? (
              <>
                <div className={styles.detailBar}>
                  <span className={styles.detailTitle}>
                    {label(selected.version)} <span className={styles.muted}>vs. current</span>
                  </span>
                  {restored ? (
                    <span className={styles.restored} role="status">
                      {restored}
                    </span>
                  ) : null}
                  <button
                    type="button"
                    className={styles.primary}
                    data-testid="restore-version"
                    disabled={selected.text === null}
                    hidden={!canEdit}
                    onClick={() => {
                      if (selected.text === null) return;
                      restore(session, selected.text);
                      setRestored('Restored. Undo with Ctrl+Z in the editor.');
                    }}
                  >
                    Restore this version
                  </button>
                </div>
                {selected.error ? <p className={styles.error}>{selected.error}</p> : null}
                {selected.text === null && !selected.error ? (
                  <p className={styles.muted}>Loading version…</p>
                ) : null}
                {selected.text !== null ? (
                  <VersionDiff session={session} versionText={selected.text} />
                ) : null}
              </>
            ) : (
              <p className={styles.muted}>Select a version to compare it with the current text.</p>
            )}
          </div>
        </div>
      </section>
    </div>
  );
}
