/**
 * The modes and where the chosen one is remembered: shared by the client's preferences
 * (view-prefs.ts) and the server-rendered script that applies the mode before the first paint
 * (initial-mode-script.ts), so this module imports nothing.
 */
export const VIEW_MODES = ['edit', 'split', 'view'] as const;
export type ViewMode = (typeof VIEW_MODES)[number];

/** localStorage key of the remembered mode. */
export const MODE_KEY = 'coedit:view-mode';
/** Screens at least this wide start in Split, narrower ones in Edit. */
export const WIDE_SCREEN = '(min-width: 900px)';
