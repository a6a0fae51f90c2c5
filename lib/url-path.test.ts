import { describe, expect, it } from 'vitest';
import { hasValidPercentEncoding } from './url-path';

describe('hasValidPercentEncoding', () => {
  it.each(['/d/abc_DEF-123', '/d/bad%20room', '/d/%E2%9C%93', '/', ''])('accepts %j', (path) => {
    expect(hasValidPercentEncoding(path)).toBe(true);
  });

  it.each([
    '/d/%%%bad',
    '/d/%',
    '/d/%zz',
    '/d/%E0%A4%A',
    '/d/%E0/%A4',
    '/d/%C0%80',
    '/d/%ED%A0%80',
  ])('rejects %j', (path) => {
    expect(hasValidPercentEncoding(path)).toBe(false);
  });
});
