import type { Extension } from '@codemirror/state';
import type { LanguageId } from '../../../lib/languages';

/**
 * CodeMirror support per language, loaded on demand so the language packs stay out of the
 * page's first-load JavaScript (the editor is usable before highlighting arrives). Markdown's
 * keymap (list continuation on Enter) is left out: typed text stays exactly what was typed.
 * Markdown highlighting is bounded against hostile documents (see markdown-bounds.ts).
 */
const loaders: Record<LanguageId, () => Promise<Extension>> = {
  markdown: async () => {
    const [{ markdown }, { markdownBounds }] = await Promise.all([
      import('@codemirror/lang-markdown'),
      import('./markdown-bounds'),
    ]);
    return markdown({ addKeymap: false, extensions: markdownBounds });
  },
  plaintext: async () => [],
  javascript: async () => (await import('@codemirror/lang-javascript')).javascript(),
  typescript: async () =>
    (await import('@codemirror/lang-javascript')).javascript({ typescript: true }),
  python: async () => (await import('@codemirror/lang-python')).python(),
  json: async () => (await import('@codemirror/lang-json')).json(),
};

const cache = new Map<LanguageId, Promise<Extension>>();

export function loadLanguage(id: LanguageId): Promise<Extension> {
  let pending = cache.get(id);
  if (!pending) {
    pending = loaders[id]().catch((error: unknown) => {
      cache.delete(id);
      throw error;
    });
    cache.set(id, pending);
  }
  return pending;
}
