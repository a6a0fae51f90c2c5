import { DEFAULT_USER_COLOR, isUserColorLight } from '../../../lib/presence';

/**
 * Background colours by class, for colours that come from other people (carets, selections,
 * avatars; later authorship tints). Never a style string built from remote data: a colour is
 * checked (`#rrggbb` or `#rrggbbaa`, lib/presence.ts), then one rule per colour goes into a
 * stylesheet this module owns, its value set with `style.setProperty`, which the CSSOM refuses
 * for anything that is not a colour. The class name is the colour's hex digits, so it is stable
 * and the same colour costs one rule however many elements use it.
 *
 * The sheet is a constructed one (`document.adoptedStyleSheets`): no element in the DOM, and it
 * stays usable under a Content Security Policy without `'unsafe-inline'` styles.
 */

const PREFIX = 'coedit-bg-';

/**
 * Distinct colours kept at most: every person picks their own, so a client cycling through
 * colours could otherwise grow the sheet without bound. Past it, new colours get the fallback.
 */
export const MAX_COLOR_CLASSES = 512;

const classes = new Map<string, string>();
let sheet: CSSStyleSheet | null = null;

function ownSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  return sheet;
}

function addClass(color: string): string {
  const name = `${PREFIX}${color.slice(1)}`;
  const target = ownSheet();
  // The selector holds only the hex digits the check let through.
  const index = target.insertRule(`.${name} {}`, target.cssRules.length);
  (target.cssRules[index] as CSSStyleRule).style.setProperty('background-color', color);
  classes.set(color, name);
  return name;
}

/**
 * The class that paints `color` as the background; for anything that is not `#rrggbb` or
 * `#rrggbbaa` (or once {@link MAX_COLOR_CLASSES} colours are in use), the class of `fallback`.
 */
export function backgroundClass(color: string, fallback: string = DEFAULT_USER_COLOR): string {
  const key = color.toLowerCase();
  const known = classes.get(key);
  if (known) return known;
  if (isUserColorLight(key) && classes.size < MAX_COLOR_CLASSES) return addClass(key);
  const fallbackKey = fallback.toLowerCase();
  if (!isUserColorLight(fallbackKey)) throw new RangeError(`bad fallback colour ${fallback}`);
  return classes.get(fallbackKey) ?? addClass(fallbackKey);
}
