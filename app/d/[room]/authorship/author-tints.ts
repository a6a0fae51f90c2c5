/**
 * The colour of each author's text with "Show authors" on: one rule per client id
 * (`.cm-author-c<id>`, see author-marks.ts) in a stylesheet this module owns, its value set
 * through the CSSOM (`style.setProperty`), never a style string built from remote data; the
 * colour is checked first (lib/presence.ts). A rename or a new colour rewrites the rule, so the
 * marks themselves never change. The tint is the author's colour at TINT_ALPHA over the
 * editor's own background, which keeps text readable in light and dark mode.
 */
import { isUserColor } from '../../../../lib/presence';
import { authorClass } from './author-marks';

const TINT_ALPHA = '47'; // 28 %
const UNKNOWN_TINT = '#8a8a8a26';

export class AuthorTints {
  private readonly sheet = new CSSStyleSheet();
  private readonly rules = new Map<number, CSSStyleRule>();
  private readonly colors = new Map<number, string>();

  constructor(private readonly document: Document) {
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.sheet];
  }

  /** Paint text of `client` in `color` (#rrggbb), or the neutral tint while unknown (null). */
  set(client: number, color: string | null): void {
    const tint = color !== null && isUserColor(color) ? `${color}${TINT_ALPHA}` : UNKNOWN_TINT;
    if (this.colors.get(client) === tint) return;
    this.colors.set(client, tint);
    let rule = this.rules.get(client);
    if (!rule) {
      // The selector holds only the decimal client id.
      const index = this.sheet.insertRule(`.${authorClass(client)} {}`, this.sheet.cssRules.length);
      rule = this.sheet.cssRules[index] as CSSStyleRule;
      this.rules.set(client, rule);
    }
    rule.style.setProperty('background-color', tint);
  }

  dispose(): void {
    this.document.adoptedStyleSheets = this.document.adoptedStyleSheets.filter(
      (sheet) => sheet !== this.sheet,
    );
  }
}
