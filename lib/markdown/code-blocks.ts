import type { Env, MarkdownIt, Token } from 'markdown-it';
import { sourceLineAttribute } from './block-attributes';
import { escapeHtml } from './escape';
import { fenceLanguage, highlightToHtml } from './highlight';

/**
 * Fenced and indented code. Mermaid fences stay inert source for a later lazy renderer;
 * registered languages are highlighted; anything else is escaped text with no class (a fence's
 * info string is user-controlled, so it never becomes a class name unless it names a known
 * language).
 */

/**
 * Code highlighted per render, all fences together (Lezer highlights about 2 MB/s here); fences
 * past it are shown plain.
 */
export const MAX_HIGHLIGHTED_CHARS = 200_000;

/** markdown-it `env` key holding what is left of the render's highlighting budget. */
export const BUDGET_KEY = 'highlightBudget';
/** markdown-it `env` key set when a fence in a registered language was shown plain (budget). */
export const BUDGET_EXCEEDED_KEY = 'highlightBudgetExceeded';

/** A fresh per-render env for `md.render(text, env)`, with `budget` characters to highlight. */
export function codeBlocksEnv(budget = MAX_HIGHLIGHTED_CHARS): Env {
  return { [BUDGET_KEY]: budget };
}

export function codeBlocksPlugin(md: MarkdownIt): void {
  md.renderer.rules.fence = (tokens, idx, _options, env) => renderFence(tokens[idx], env);
  md.renderer.rules.code_block = (tokens, idx) => {
    const token = tokens[idx];
    const code = escapeHtml(token?.content ?? '');
    return `<pre${sourceLineAttribute(token)}><code>${code}</code></pre>\n`;
  };
}

function renderFence(token: Token | undefined, env: Env | undefined): string {
  if (!token) return '';
  const info = token.info.trim();
  if (info.split(/\s+/, 1)[0]?.toLowerCase() === 'mermaid') {
    const source = escapeHtml(token.content);
    return `<pre class="mermaid-source"${sourceLineAttribute(token)}>${source}</pre>\n`;
  }
  const language = fenceLanguage(info);
  const codeClass = language ? ` class="language-${language}"` : '';
  const budget = typeof env?.[BUDGET_KEY] === 'number' ? env[BUDGET_KEY] : 0;
  const affordable = token.content.length <= budget;
  if (env && affordable && language) env[BUDGET_KEY] = budget - token.content.length;
  if (env && !affordable && language) env[BUDGET_EXCEEDED_KEY] = true;
  const code = highlightToHtml(token.content, affordable ? language : null);
  return `<pre${sourceLineAttribute(token)}><code${codeClass}>${code}</code></pre>\n`;
}
