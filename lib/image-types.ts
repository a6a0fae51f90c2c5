/**
 * Which images coedit accepts, told apart by their bytes only: a file's name and its declared
 * type are whatever the sender says, so neither is ever consulted. Used by the editor (to refuse
 * at once, before uploading) and by the relay (which decides).
 *
 * Accepted: PNG, JPEG, GIF, WebP. SVG is refused on purpose: it is a document that can carry
 * script, not a picture.
 */

export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** Bytes `sniffImageType` needs to decide; fewer is always "not an image". */
export const SNIFF_BYTES = 16;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Every PNG ends with an empty IEND chunk: length 0, "IEND", its CRC. */
const PNG_END = [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/**
 * The type of an image from its first bytes ({@link SNIFF_BYTES} suffice), or null. Each check
 * covers the whole fixed header (PNG's IHDR, a WebP chunk name), so a file cut inside its
 * header is refused too.
 */
export function sniffImageType(head: Uint8Array): ImageType | null {
  if (head.length < SNIFF_BYTES) return null;
  if (startsWith(head, PNG_SIGNATURE) && startsWith(head, ascii('IHDR'), 12)) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (
    startsWith(head, ascii('RIFF')) &&
    startsWith(head, ascii('WEBP'), 8) &&
    [ascii('VP8 '), ascii('VP8L'), ascii('VP8X')].some((chunk) => startsWith(head, chunk, 12))
  ) {
    return 'image/webp';
  }
  return null;
}

/**
 * Whether a whole file of `type` ends where its format says it does, for the formats that say so
 * unambiguously: PNG ends with its IEND chunk, WebP's RIFF header states the file's length.
 * (JPEG and GIF files in the wild often carry trailing bytes, so they are not checked.)
 */
export function isCompleteImage(type: ImageType, bytes: Uint8Array): boolean {
  if (type === 'image/png') return startsWith(bytes, PNG_END, bytes.length - PNG_END.length);
  if (type === 'image/webp') {
    const declared =
      (bytes[4] ?? 0) | ((bytes[5] ?? 0) << 8) | ((bytes[6] ?? 0) << 16) | ((bytes[7] ?? 0) << 24);
    return (declared >>> 0) + 8 === bytes.length;
  }
  return true;
}

/** A short human name of a type, for messages. */
export function imageTypeName(type: ImageType): string {
  return type.slice('image/'.length).toUpperCase();
}
