import type { Env, MarkdownIt, Token } from 'markdown-it';
import markdownIt from 'markdown-it';
import { blockAttributesPlugin, inlineText } from './block-attributes';
import { type RenderedBlock, relativeLines, topLevelGroups } from './blocks';
import { BUDGET_KEY, codeBlocksEnv, codeBlocksPlugin } from './code-blocks';
import { footnotesPlugin } from './footnotes';
import { linkPolicyPlugin } from './links';
import { type MathRenderer, mathPlugin } from './math';
import { nestingBoundPlugin } from './nesting-bound';
import { taskListPlugin } from './task-lists';

/**
 * Markdown → HTML for the preview (and later the relay's rendered view and HTML export).
 * Output only: this module needs no DOM. Its HTML is built to be safe on its own (raw HTML off,
 * addresses allow-listed, ids prefixed), and callers still pass it through the sanitizer
 * (`sanitize.ts`) as a second, independent line of defence.
 */

/** Documents longer than this are rendered up to here, with a note that the rest is cut. */
export const MAX_RENDER_CHARS = 1_000_000;
/** Deeper block nesting (lists, quotes) than this is not parsed further. */
export const MAX_NESTING = 32;

export interface RenderOptions {
  /** Typesets math; without it, formulas show as their TeX source (see math.ts). */
  readonly math?: MathRenderer | null;
  /** Task-list checkboxes are enabled (editors) or disabled (readers). */
  readonly interactiveTasks?: boolean;
}

export interface RenderResult {
  readonly html: string;
  /** True when the document was longer than {@link MAX_RENDER_CHARS} and was cut. */
  readonly truncated: boolean;
}

export interface BlocksResult {
  readonly blocks: readonly RenderedBlock[];
  readonly truncated: boolean;
}

/** One top-level block of a parse, with what an incremental render needs to reuse it. */
export interface ParsedBlock extends RenderedBlock {
  /** Source lines [line, end) the block covers (0-based, relative to the parsed source). */
  readonly end: number;
  /** The inline text of each heading in the block, in order (heading ids depend on them). */
  readonly headings: readonly string[];
  /** Characters of code the block highlighted (out of the render's budget). */
  readonly highlighted: number;
  /** The footnotes section markdown-it appends: it belongs to no source lines of its own. */
  readonly footnotes: boolean;
}

function headingTexts(group: readonly Token[]): string[] {
  const texts: string[] = [];
  for (let i = 0; i < group.length; i++) {
    if (group[i]?.type === 'heading_open') texts.push(inlineText(group[i + 1]));
  }
  return texts;
}

export class MarkdownRenderer {
  private readonly md: MarkdownIt;

  constructor(options: RenderOptions = {}) {
    this.md = createMarkdownIt(options);
  }

  render(source: string): RenderResult {
    const truncated = source.length > MAX_RENDER_CHARS;
    const text = truncated ? source.slice(0, MAX_RENDER_CHARS) : source;
    const html = this.md.render(text, codeBlocksEnv());
    if (!truncated) return { html, truncated };
    return { html: html + TRUNCATED_NOTE, truncated };
  }

  /**
   * The same HTML as {@link render}, as top-level blocks with relative source lines (see
   * blocks.ts): joined with their lines restored, they are exactly what `render` returns.
   */
  renderBlocks(source: string): BlocksResult {
    const truncated = source.length > MAX_RENDER_CHARS;
    const text = truncated ? source.slice(0, MAX_RENDER_CHARS) : source;
    const blocks: RenderedBlock[] = this.parseBlocks(text, codeBlocksEnv()).map(
      ({ html, line }) => ({ html, line }),
    );
    if (truncated) blocks.push({ html: TRUNCATED_NOTE, line: 0 });
    return { blocks, truncated };
  }

  /**
   * `source` (a whole document, or a run of whole top-level blocks of one) as blocks, with the
   * markdown-it `env` the caller seeds (highlighting budget, heading ids, link references).
   * No length limit: callers bound the source.
   */
  parseBlocks(source: string, env: Env): ParsedBlock[] {
    const tokens = this.md.parse(source, env);
    return topLevelGroups(tokens).map((group): ParsedBlock => {
      const map = group.find((token) => token.map)?.map;
      const line = map?.[0] ?? 0;
      const budget = Number(env[BUDGET_KEY] ?? 0);
      const html = this.md.renderer.render(group, this.md.options, env);
      return {
        html: relativeLines(html, line),
        line,
        end: map?.[1] ?? line,
        headings: headingTexts(group),
        highlighted: budget - Number(env[BUDGET_KEY] ?? 0),
        footnotes: group[0]?.type === 'footnote_block_open',
      };
    });
  }
}

const TRUNCATED_NOTE = `<p class="render-truncated">The preview shows the first ${MAX_RENDER_CHARS.toLocaleString('en')} characters.</p>\n`;

function createMarkdownIt(options: RenderOptions): MarkdownIt {
  const md = markdownIt('default', {
    html: false,
    linkify: true,
    typographer: false,
    maxNesting: MAX_NESTING,
  });
  md.use(nestingBoundPlugin);
  md.use(linkPolicyPlugin);
  md.use(footnotesPlugin);
  md.use(mathPlugin, options.math ?? null);
  md.use(taskListPlugin, { interactive: options.interactiveTasks ?? false });
  md.use(codeBlocksPlugin);
  md.use(blockAttributesPlugin);
  return md;
}
