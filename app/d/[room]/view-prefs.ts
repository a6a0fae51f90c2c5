import { Store, useStore } from './store';
import { MODE_KEY, VIEW_MODES, type ViewMode, WIDE_SCREEN } from './view-modes';

export { VIEW_MODES, type ViewMode };

/**
 * How this user likes to see documents, remembered in localStorage (per browser, not per
 * document): the mode (Edit | Split | View), scroll sync, the outline panel and Show authors. Until they
 * choose, wide screens (≥ 900 px) start in Split and narrow ones in Edit.
 */

const SCROLL_SYNC_KEY = 'coedit:scroll-sync';
const OUTLINE_KEY = 'coedit:outline';
const SHOW_AUTHORS_KEY = 'coedit:show-authors';

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage blocked: fall back to defaults
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // storage blocked or full: the choice lasts for this page only
  }
}

function isViewMode(value: unknown): value is ViewMode {
  return VIEW_MODES.includes(value as ViewMode);
}

/** A remembered preference: read on first use (client only), written on every change. */
export class Preference<T> {
  private store: Store<T> | null = null;

  constructor(
    private readonly key: string,
    private readonly parse: (raw: string | null) => T,
    private readonly serialize: (value: T) => string,
  ) {}

  /** The store (created on first call, in the browser). */
  get(): Store<T> {
    this.store ??= new Store(this.parse(read(this.key)));
    return this.store;
  }

  set(value: T): void {
    this.get().set(value);
    write(this.key, this.serialize(value));
  }
}

export const viewMode = new Preference<ViewMode>(
  MODE_KEY,
  (raw) => (isViewMode(raw) ? raw : window.matchMedia(WIDE_SCREEN).matches ? 'split' : 'edit'),
  String,
);

export const scrollSync = new Preference<boolean>(
  SCROLL_SYNC_KEY,
  (raw) => raw !== 'off',
  (on) => (on ? 'on' : 'off'),
);

export const outlineOpen = new Preference<boolean>(
  OUTLINE_KEY,
  (raw) => raw !== 'closed',
  (open) => (open ? 'open' : 'closed'),
);

/** "Show authors": each author's text tinted in their colour. Off until chosen. */
export const showAuthorsPref = new Preference<boolean>(
  SHOW_AUTHORS_KEY,
  (raw) => raw === 'on',
  (on) => (on ? 'on' : 'off'),
);

/** A preference in a component: `fallback` on the server and during hydration. */
export function usePreference<T>(preference: Preference<T>, fallback: T): T {
  return useStore(typeof window === 'undefined' ? null : preference.get(), fallback);
}

/**
 * A view link's mode: View (the rendered document) or Source (the read-only editor, shown as
 * mode 'edit'). Readers always start in View; the choice lasts for this page only, so a view
 * link someone sends always opens rendered.
 */
export const READER_MODES = ['view', 'edit'] as const satisfies readonly ViewMode[];
export const readerMode = new Store<ViewMode>('view');
