/**
 * The admin token of the dashboard: pasted into the form, or handed over as `#token=…` in the
 * URL fragment (which browsers never send to a server); kept in sessionStorage, so it lasts
 * for this tab only and never reaches a URL, a log or a Referer.
 */
const STORAGE_KEY = 'coedit-admin-token';

/** The token of `#token=`, removed from the address bar, else the one kept for this tab. */
export function takeInitialToken(): string | null {
  const fragment = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fragment) {
    saveToken(fragment);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fragment;
  }
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string | null): void {
  try {
    if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage disabled: the token lasts as long as the page.
  }
}
