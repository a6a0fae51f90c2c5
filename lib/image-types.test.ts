import { describe, expect, it } from 'vitest';
import { GIF, HTML, JPEG, png, SVG, WEBP } from '../server/test/images';
import { isCompleteImage, SNIFF_BYTES, sniffImageType } from './image-types';

describe('sniffImageType', () => {
  it.each([
    ['PNG', png(2, 2), 'image/png'],
    ['JPEG', JPEG, 'image/jpeg'],
    ['GIF', GIF, 'image/gif'],
    ['WebP', WEBP, 'image/webp'],
  ])('knows %s by its first bytes', (_, bytes, type) => {
    expect(sniffImageType(bytes.subarray(0, SNIFF_BYTES))).toBe(type);
    expect(isCompleteImage(sniffImageType(bytes) ?? 'image/png', bytes)).toBe(true);
  });

  it('refuses SVG, HTML, a header cut short and a RIFF that is not WebP', () => {
    expect(sniffImageType(SVG)).toBeNull();
    expect(sniffImageType(HTML)).toBeNull();
    expect(sniffImageType(png(2, 2).subarray(0, SNIFF_BYTES - 1))).toBeNull();
    const wave = Buffer.from(WEBP);
    wave.write('WAVE', 8, 'ascii');
    expect(sniffImageType(wave)).toBeNull();
  });

  it('finds PNG and WebP files cut before their end', () => {
    const whole = png(4, 4);
    expect(isCompleteImage('image/png', whole.subarray(0, whole.length - 1))).toBe(false);
    expect(isCompleteImage('image/webp', WEBP.subarray(0, WEBP.length - 2))).toBe(false);
  });
});
