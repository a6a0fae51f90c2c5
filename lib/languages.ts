/** Languages the editor offers. The choice is stored in the document's meta map and shared. */

export const LANGUAGES = [
  { id: 'markdown', label: 'Markdown', extension: 'md' },
  { id: 'plaintext', label: 'Plain text', extension: 'txt' },
  { id: 'javascript', label: 'JavaScript', extension: 'js' },
  { id: 'typescript', label: 'TypeScript', extension: 'ts' },
  { id: 'python', label: 'Python', extension: 'py' },
  { id: 'json', label: 'JSON', extension: 'json' },
] as const;

export type LanguageId = (typeof LANGUAGES)[number]['id'];

export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: LanguageId = 'markdown';

export function isLanguageId(value: unknown): value is LanguageId {
  return LANGUAGES.some((language) => language.id === value);
}

/** The language for a stored value; anything unknown (or unset) falls back to the default. */
export function languageOf(value: unknown): Language {
  const id = isLanguageId(value) ? value : DEFAULT_LANGUAGE;
  const language = LANGUAGES.find((l) => l.id === id);
  if (!language) throw new RangeError(`unknown language ${id}`);
  return language;
}

/** Characters that are unsafe in file names on common systems. */
const UNSAFE_FILENAME_CHARS = /[\\/:*?"<>|\p{Cc}]+/gu;

/**
 * File name for downloading a document: the title made safe for file systems, plus the
 * language's extension ("Meeting notes" + markdown → "Meeting notes.md").
 */
export function downloadFileName(title: string, languageId: unknown): string {
  const base =
    title
      .replace(UNSAFE_FILENAME_CHARS, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/^\.+/, '')
      .slice(0, 100)
      .trim() || 'Untitled';
  return `${base}.${languageOf(languageId).extension}`;
}
