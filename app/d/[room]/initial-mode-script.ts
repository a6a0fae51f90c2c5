import type { Role } from '../../../lib/token';
import { MODE_KEY, VIEW_MODES, type ViewMode, WIDE_SCREEN } from './view-modes';

/**
 * The workspace's first mode, decided in the browser before the session exists: the server cannot
 * know it (localStorage, the screen width, a view token remembered for the room), and without it
 * the page showed Edit and then jumped to Split or View once React had the session. The rule
 * repeats the client's (view-mode.ts, view-prefs.ts, access.ts): a view link → View; else the
 * remembered mode; else Split on wide screens and Edit on narrow ones. `role` is the role of the
 * URL's token when the URL has one (null: look for the room's remembered token).
 *
 * Two callers: on a full page load, an inline script placed right after the workspace applies it
 * before the first paint; after a client-side navigation (React does not run inline scripts) the
 * workspace asks for it while it renders (workspace.tsx). React later sets the same value.
 */
export interface InitialModeSettings {
  role: Role | null;
  tokenKey: string;
  modeKey: string;
  wide: string;
  modes: readonly string[];
}

export function initialModeSettings(room: string, role: Role | null): InitialModeSettings {
  return {
    role,
    tokenKey: `coedit:token:${room}`,
    modeKey: MODE_KEY,
    wide: WIDE_SCREEN,
    modes: VIEW_MODES,
  };
}

/**
 * The mode by the rule above, or null when it cannot be known yet (storage blocked, a malformed
 * token): the mode then appears with the session. Runs in the browser as written (the inline
 * script carries it serialized with toString): no imports, no closures.
 */
export function decideInitialMode(s: InitialModeSettings): ViewMode | null {
  try {
    let role = s.role;
    if (role === null) {
      const token = window.localStorage.getItem(s.tokenKey);
      const payload = token ? token.split('.')[0] : '';
      role = payload
        ? JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).role
        : 'edit';
    }
    if (role === 'view') return 'view';
    const stored = window.localStorage.getItem(s.modeKey);
    if (stored && s.modes.includes(stored)) return stored as ViewMode;
    return window.matchMedia(s.wide).matches ? 'split' : 'edit';
  } catch {
    return null;
  }
}

/** The inline script for a full page load: sets the mode on the element right before it. */
export function initialModeScript(room: string, role: Role | null): string {
  // JSON in a script: `<` escaped so no value can close the element.
  const json = JSON.stringify(initialModeSettings(room, role)).replace(/</g, '\\u003c');
  return `(function(w,m){if(w&&m)w.setAttribute('data-mode',m)})(document.currentScript.previousElementSibling,(${decideInitialMode.toString()})(${json}))`;
}
