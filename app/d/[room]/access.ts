import { PAGE_TOKEN_PARAM, type Role, readClaimsUnverified } from '../../../lib/token';

/** What this browser may do in a room, as far as the page can tell (the relay enforces it). */
export interface Access {
  /** The share token sent to the relay, or null (open relay, or no link token at hand). */
  readonly token: string | null;
  /** From the token's claims; 'edit' when there is no token (an open relay lets anyone edit). */
  readonly role: Role;
}

const storageKey = (room: string) => `coedit:token:${room}`;

/**
 * The token of the link this page was opened with, remembered per room so the recent-documents
 * list (plain `/d/<room>` links) keeps working; a token in the URL always wins and replaces it.
 */
export function resolveAccess(room: string, urlToken: string | null): Access {
  let token = urlToken;
  try {
    if (token) localStorage.setItem(storageKey(room), token);
    else token = localStorage.getItem(storageKey(room));
  } catch {
    // Storage disabled: the URL's token still works for this visit.
  }
  const claims = token ? readClaimsUnverified(token) : null;
  return { token, role: claims?.role ?? 'edit' };
}

/** `/d/<room>?t=<token>` on this site: the link format people share. */
export function pageLink(room: string, token: string): string {
  const url = new URL(`/d/${room}`, window.location.origin);
  url.searchParams.set(PAGE_TOKEN_PARAM, token);
  return url.toString();
}
