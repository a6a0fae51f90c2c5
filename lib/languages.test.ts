import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LANGUAGE,
  downloadFileName,
  isLanguageId,
  LANGUAGES,
  languageOf,
} from './languages';

describe('languages', () => {
  it('offers the languages the picker needs, markdown first and by default', () => {
    expect(LANGUAGES.map((l) => l.id)).toEqual([
      'markdown',
      'plaintext',
      'javascript',
      'typescript',
      'python',
      'json',
    ]);
    expect(DEFAULT_LANGUAGE).toBe('markdown');
  });

  it('falls back to the default for unknown or missing values', () => {
    expect(isLanguageId('cobol')).toBe(false);
    expect(languageOf('cobol').id).toBe('markdown');
    expect(languageOf(undefined).id).toBe('markdown');
    expect(languageOf('python').extension).toBe('py');
  });
});

describe('downloadFileName', () => {
  it('uses the title and the language extension', () => {
    expect(downloadFileName('Meeting notes', 'markdown')).toBe('Meeting notes.md');
    expect(downloadFileName('app', 'typescript')).toBe('app.ts');
    expect(downloadFileName('data', 'json')).toBe('data.json');
    expect(downloadFileName('readme', 'plaintext')).toBe('readme.txt');
  });

  it('makes titles safe and never empty', () => {
    expect(downloadFileName('a/b\\c:d*e?"f<g>h|i', 'python')).toBe('a b c d e f g h i.py');
    expect(downloadFileName('  ', 'markdown')).toBe('Untitled.md');
    expect(downloadFileName('...hidden', 'markdown')).toBe('hidden.md');
    expect(downloadFileName('tab\there\nnew', 'javascript')).toBe('tab here new.js');
  });
});
