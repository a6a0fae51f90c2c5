/**
 * The SQLite store's append journal: a flat file beside the database that takes each batch of
 * updates with one `write`, so an append costs a syscall instead of a b-tree insert and a WAL
 * commit. The store folds the journal into its `updates` table in large transactions and then
 * empties it (sqlite.ts). Like a WAL commit with synchronous=NORMAL, a write is in the page
 * cache when it returns, so it survives `kill -9`; with `fsync` it also survives power loss.
 *
 * Record: u32 LE payload length, u32 LE CRC-32 of the payload, then the payload:
 * u16 LE room length, room (UTF-8), u48 LE seq, update bytes. A crash can only tear the last
 * record (one process appends, in order), so reading stops at the first record that is short or
 * fails its checksum.
 */
import {
  closeSync,
  existsSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';

/** One update as the journal holds it: its room's sequence number is already assigned. */
export interface JournalEntry {
  readonly room: string;
  readonly seq: number;
  readonly update: Uint8Array;
}

const HEADER_BYTES = 8;
const ROOM_LENGTH_BYTES = 2;
const SEQ_BYTES = 6;
const MAX_ROOM_BYTES = 0xffff;

/**
 * Frame `entries` as consecutive records in one buffer. `updates` are views of each entry's
 * update inside it: a copy the caller cannot change, made by the framing anyway.
 */
export function encodeJournalRecords(entries: readonly JournalEntry[]): {
  readonly bytes: Buffer;
  readonly updates: Uint8Array[];
} {
  const rooms = entries.map((entry) => Buffer.from(entry.room, 'utf8'));
  let total = 0;
  entries.forEach((entry, i) => {
    const roomBytes = (rooms[i] as Buffer).byteLength;
    if (roomBytes > MAX_ROOM_BYTES) throw new RangeError(`room name of ${roomBytes} bytes`);
    total += HEADER_BYTES + ROOM_LENGTH_BYTES + roomBytes + SEQ_BYTES + entry.update.byteLength;
  });
  const out = Buffer.allocUnsafe(total);
  const updates: Uint8Array[] = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    const room = rooms[i] as Buffer;
    const payloadStart = offset + HEADER_BYTES;
    let cursor = out.writeUInt16LE(room.byteLength, payloadStart);
    cursor += room.copy(out, cursor);
    cursor = out.writeUIntLE(entry.seq, cursor, SEQ_BYTES);
    out.set(entry.update, cursor);
    updates.push(new Uint8Array(out.buffer, out.byteOffset + cursor, entry.update.byteLength));
    cursor += entry.update.byteLength;
    out.writeUInt32LE(cursor - payloadStart, offset);
    out.writeUInt32LE(crc32(out.subarray(payloadStart, cursor)), offset + 4);
    offset = cursor;
  });
  return { bytes: out, updates };
}

/** The records of a journal's bytes, up to the first torn or corrupt one. */
export function decodeJournalRecords(bytes: Uint8Array): {
  readonly entries: JournalEntry[];
  /** Bytes after the last whole record (a torn tail), 0 for a clean journal. */
  readonly discardedBytes: number;
} {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries: JournalEntry[] = [];
  let offset = 0;
  while (offset + HEADER_BYTES <= buffer.byteLength) {
    const length = buffer.readUInt32LE(offset);
    const payloadStart = offset + HEADER_BYTES;
    const end = payloadStart + length;
    if (length < ROOM_LENGTH_BYTES + SEQ_BYTES || end > buffer.byteLength) break;
    const payload = buffer.subarray(payloadStart, end);
    if (crc32(payload) !== buffer.readUInt32LE(offset + 4)) break;
    const roomBytes = payload.readUInt16LE(0);
    const seqStart = ROOM_LENGTH_BYTES + roomBytes;
    if (seqStart + SEQ_BYTES > length) break;
    entries.push({
      room: payload.toString('utf8', ROOM_LENGTH_BYTES, seqStart),
      seq: payload.readUIntLE(seqStart, SEQ_BYTES),
      // A copy: the caller keeps updates, not the whole file's buffer.
      update: new Uint8Array(payload.subarray(seqStart + SEQ_BYTES)),
    });
    offset = end;
  }
  return { entries, discardedBytes: buffer.byteLength - offset };
}

/** Read every whole record of the journal at `path` (none if the file does not exist). */
export function readJournal(path: string): ReturnType<typeof decodeJournalRecords> {
  if (!existsSync(path)) return { entries: [], discardedBytes: 0 };
  return decodeJournalRecords(readFileSync(path));
}

export interface Journal {
  /**
   * Append `entries` durably (see the module comment); throws, leaving nothing torn, on failure.
   * Returns each entry with its update copied (a view into the written record).
   */
  append(entries: readonly JournalEntry[]): JournalEntry[];
  /** Drop every record: call once all of them are folded into the table. */
  clear(): void;
  /** Close the file; `remove` deletes it too (only once every record is folded). */
  close(options: { readonly remove: boolean }): void;
}

/** Open the journal at `path` for appending, emptying whatever it held (fold it first). */
export function openJournal(path: string, options: { readonly fsync: boolean }): Journal {
  const fd = openSync(path, 'w');
  let size = 0;
  let open = true;
  return {
    append(entries) {
      if (!open) throw new Error('journal is closed');
      const { bytes, updates } = encodeJournalRecords(entries);
      try {
        let written = 0;
        while (written < bytes.byteLength) {
          written += writeSync(fd, bytes, written, bytes.byteLength - written, size + written);
        }
        if (options.fsync) fdatasyncSync(fd);
      } catch (error) {
        // Cut off a partial record so the next append does not follow a torn one.
        try {
          ftruncateSync(fd, size);
        } catch {
          // The append already failed; the original error says why.
        }
        throw error;
      }
      size += bytes.byteLength;
      return entries.map((entry, i) => ({ ...entry, update: updates[i] as Uint8Array }));
    },
    clear() {
      if (size === 0) return;
      ftruncateSync(fd, 0);
      size = 0;
    },
    close({ remove }) {
      if (!open) return;
      open = false;
      closeSync(fd);
      if (remove) unlinkSync(path);
    },
  };
}
