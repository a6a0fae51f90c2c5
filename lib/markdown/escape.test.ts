import { describe, expect, it } from 'vitest';
import { escapeHtml, unescapeHtml } from './escape';

describe('escapeHtml and unescapeHtml', () => {
  it('round-trip any text, and read a DOM’s serialization', () => {
    for (const text of ['a < b & "c" \'d\' > e', '&lt; typed as text', '&amp;amp;', '']) {
      expect(unescapeHtml(escapeHtml(text))).toBe(text);
    }
    expect(unescapeHtml('A&nbsp;&gt;&nbsp;B &amp;lt;')).toBe('A\u00a0>\u00a0B &lt;');
    expect(unescapeHtml('&copy; &#60;')).toBe('&copy; &#60;'); // not written by a DOM: as is
  });
});
