/**
 * Real image files for tests (and hostile files that pretend to be images): a PNG encoder small
 * enough to read (zlib + CRC), and tiny JPEG, GIF and WebP files made once with an image library
 * and kept as base64. No test-runner imports, so the e2e suite uses them too.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/**
 * A valid RGB PNG of `width`×`height` in one colour. `noise` fills it with pseudo-random pixels
 * instead, so the file does not compress (for size-limit tests); `seed` varies the bytes.
 */
export function png(
  width: number,
  height: number,
  options: { rgb?: [number, number, number]; noise?: boolean; seed?: number } = {},
): Buffer {
  const [r, g, b] = options.rgb ?? [220, 60, 40];
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit, truecolour, deflate, no filter, no interlace
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  let state = (options.seed ?? 1) >>> 0 || 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * row + 1 + x * 3;
      if (options.noise) {
        for (let c = 0; c < 3; c++) {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          raw[at + c] = state >>> 24;
        }
      } else raw.set([r, g, b], at);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** 2×2 red images. */
export const JPEG = Buffer.from(
  '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAABQf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCKAAK2/9k=',
  'base64',
);
export const GIF = Buffer.from(
  'R0lGODlhAgACAIAAAExpccgoKCH5BAUAAAAALAAAAAACAAIAAAICjFMAOw==',
  'base64',
);
export const WEBP = Buffer.from(
  'UklGRjoAAABXRUJQVlA4IC4AAACQAQCdASoCAAIAAUAmJaACdLoAA5gA/vCbQ/4DdfFtMv/ucD/uyf/2yf+pAAAA',
  'base64',
);

/** An SVG with script: a document, not a picture. */
export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">' +
    '<script>alert(document.domain)</script><rect width="10" height="10"/></svg>',
);

/** HTML, as a file renamed `photo.png` would carry it. */
export const HTML = Buffer.from(
  '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
);
