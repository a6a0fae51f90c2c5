import type { CollabSession } from './session';

/** How long a printable page's blob address stays valid (the new tab loads it at once). */
const PRINT_URL_LIFETIME_MS = 60_000;

/**
 * The printable page: the standalone HTML (export-html.ts) in a new tab, ready for the browser's
 * Print / Save as PDF. The tab is opened at once (still inside the user's click or key press),
 * cut off from this page, then sent to the page; the page carries no script and a CSP that
 * allows none.
 */
export async function openPrintable(session: CollabSession): Promise<void> {
  const tab = window.open('', '_blank');
  if (tab) tab.opener = null;
  const { documentHtml } = await import('./export-html');
  const html = await documentHtml(session, { printHint: true });
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html;charset=utf-8' }));
  if (tab) tab.location.href = url;
  else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), PRINT_URL_LIFETIME_MS);
}
