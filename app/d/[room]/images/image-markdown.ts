/** The markdown an uploaded image is inserted as: `![alt](<url>)`. */

const MAX_ALT_LENGTH = 100;

/**
 * Alt text from a file name: no extension, one line, and every character escaped that could end
 * the alt text early: brackets, and what takes precedence over them (code spans' backticks,
 * autolinks' angle brackets), plus the backslash itself.
 */
export function altTextOf(fileName: string): string {
  const base = fileName.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const oneLine = base.replace(/\s+/g, ' ').trim().slice(0, MAX_ALT_LENGTH);
  const escaped = oneLine.replace(/[\\[\]`<>]/g, (c) => `\\${c}`);
  return escaped || 'image';
}

/** The angle brackets keep any address intact (the relay's never holds `<`, `>` or spaces). */
export function imageMarkdown(fileName: string, url: string): string {
  return `![${altTextOf(fileName)}](<${url}>)`;
}
