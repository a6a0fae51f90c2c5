import type { Role } from '../../../lib/token';
import { MODE_KEY, VIEW_MODES, WIDE_SCREEN } from './view-modes';

/**
 * An inline script, placed right after the workspace, that gives it its mode before the first
 * paint: the server cannot know it (localStorage, the screen width, a view token remembered for
 * the room), and without this the page showed Edit and then jumped to Split or View once React
 * had the session. It repeats the client's rule (view-mode.ts, view-prefs.ts, access.ts):
 * a view link → View; else the remembered mode; else Split on wide screens and Edit on narrow
 * ones. `role` is the role of the URL's token when the URL has one (null: look for the room's
 * remembered token). React later sets the same value; anything failing here only means the
 * mode appears when the session does, as before.
 */
export function initialModeScript(room: string, role: Role | null): string {
  const settings = {
    role,
    tokenKey: `coedit:token:${room}`,
    modeKey: MODE_KEY,
    wide: WIDE_SCREEN,
    modes: VIEW_MODES,
  };
  // JSON in a script: `<` escaped so no value can close the element.
  const json = JSON.stringify(settings).replace(/</g, '\\u003c');
  return `(${applyInitialMode.toString()})(document.currentScript.previousElementSibling,${json})`;
}

/** Runs in the browser as written (serialized with toString): no imports, no closures. */
function applyInitialMode(
  workspace: Element | null,
  s: { role: Role | null; tokenKey: string; modeKey: string; wide: string; modes: string[] },
): void {
  try {
    let role = s.role;
    if (role === null) {
      const token = window.localStorage.getItem(s.tokenKey);
      const payload = token ? token.split('.')[0] : '';
      role = payload
        ? JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).role
        : 'edit';
    }
    let mode = 'view';
    if (role !== 'view') {
      const stored = window.localStorage.getItem(s.modeKey);
      mode =
        stored && s.modes.includes(stored)
          ? stored
          : window.matchMedia(s.wide).matches
            ? 'split'
            : 'edit';
    }
    workspace?.setAttribute('data-mode', mode);
  } catch {
    // Storage blocked or a malformed token: the mode appears with the session instead.
  }
}
