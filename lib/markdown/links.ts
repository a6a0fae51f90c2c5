import type { MarkdownIt } from 'markdown-it';
import { isAllowedUrl, LINK_REL } from './urls';

/**
 * Links and images: only allow-listed addresses (urls.ts), GFM autolinks, `rel` on every link,
 * and images that load lazily without sending a Referer (the page URL may hold a share token).
 */

/**
 * Runs of plain text longer than this are not searched for bare links: linkify-it slows to
 * seconds on a megabyte line full of addresses. Explicit links and `<autolinks>` still work.
 */
export const MAX_LINKIFY_TEXT = 20_000;

/** The host and path of a `www.` address (GFM autolink), without trailing punctuation. */
const WWW_TAIL = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?:[/?#][^\s<>]*)?/u;
const TRAILING_PUNCTUATION = /[.,:;!?'")\]*_~]+$/;

export function linkPolicyPlugin(md: MarkdownIt): void {
  md.validateLink = isAllowedUrl;
  linkWwwAddresses(md);
  const findsLinks = md.linkify.test.bind(md.linkify);
  md.linkify.test = (text) => text.length <= MAX_LINKIFY_TEXT && findsLinks(text);

  const renderToken = md.renderer.renderToken.bind(md.renderer);
  md.renderer.rules.link_open = (tokens, idx, options) => {
    tokens[idx]?.attrSet('rel', LINK_REL);
    return renderToken(tokens, idx, options);
  };
  const renderImage = md.renderer.rules.image;
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    tokens[idx]?.attrSet('loading', 'lazy');
    tokens[idx]?.attrSet('referrerpolicy', 'no-referrer');
    return renderImage ? renderImage(tokens, idx, options, env, self) : '';
  };
}

/**
 * GFM links `www.example.com` (as http://). linkify-it's fuzzy mode would also link any word
 * ending in a country TLD (`README.md`, `setup.py`), so only the `www.` prefix is added.
 */
function linkWwwAddresses(md: MarkdownIt): void {
  md.linkify.add('www.', {
    validate: (text, pos) => {
      const tail = WWW_TAIL.exec(text.slice(pos, pos + 2048))?.[0] ?? '';
      return tail.replace(TRAILING_PUNCTUATION, '').length;
    },
    normalize: (match) => {
      match.url = `http://${match.url}`;
    },
  });
}
