/** The documents this browser opened, newest first, kept in localStorage (never on a server). */

export interface RecentDoc {
  readonly id: string;
  readonly title: string;
  /** ms since epoch */
  readonly lastOpened: number;
}

const STORAGE_KEY = 'coedit:recent-docs';
const MAX_ENTRIES = 50;

function isRecentDoc(value: unknown): value is RecentDoc {
  const v = value as Partial<RecentDoc> | null;
  return (
    typeof v?.id === 'string' && typeof v.title === 'string' && typeof v.lastOpened === 'number'
  );
}

/** Parse the stored list, dropping anything malformed (storage is user-editable). */
export function parseRecentDocs(raw: string | null): RecentDoc[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed)
      ? parsed.filter(isRecentDoc).sort((a, b) => b.lastOpened - a.lastOpened)
      : [];
  } catch {
    return [];
  }
}

export function readRecentDocsRaw(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** Mark a document as opened now (moving it to the top) and remember its current title. */
export function recordRecentDoc(id: string, title: string, now: number = Date.now()): void {
  const others = parseRecentDocs(readRecentDocsRaw()).filter((doc) => doc.id !== id);
  const next = [{ id, title, lastOpened: now }, ...others].slice(0, MAX_ENTRIES);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  } catch {
    // Full or disabled storage: the list is a convenience, the document is unaffected.
  }
}

/** Drop a document from the list (it was deleted). */
export function forgetRecentDoc(id: string): void {
  const raw = readRecentDocsRaw();
  const kept = parseRecentDocs(raw).filter((doc) => doc.id !== id);
  if (kept.length === parseRecentDocs(raw).length) return;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(kept));
  } catch {
    // As in recordRecentDoc: the list is a convenience.
  }
}

/** Call `onChange` when another tab changes the list. */
export function subscribeRecentDocs(onChange: () => void): () => void {
  const listener = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY || event.key === null) onChange();
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}
