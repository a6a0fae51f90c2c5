/**
 * The server secret that signs share tokens, kept in a file so links stay valid across restarts.
 * `npm start` creates it on first run; `npm run token` reads it when no secret is given.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where `npm start` keeps the secret, relative to the working directory. */
export const DEFAULT_SECRET_FILE = './data/secret';

/** 256 random bits, base64url: as strong as the HMAC-SHA256 key can use. */
const SECRET_BYTES = 32;

/** The secret stored at `path`, or undefined if the file does not exist or is empty. */
export function readSecretFile(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The secret at `path`, creating the file (mode 0600) with a fresh random secret if missing. */
export function ensureSecretFile(path: string): { secret: string; created: boolean } {
  const existing = readSecretFile(path);
  if (existing) return { secret: existing, created: false };
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  // 'wx' fails if another process created it meanwhile; then theirs wins.
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { secret: readSecretFile(path) ?? secret, created: false };
  }
  chmodSync(path, 0o600);
  return { secret, created: true };
}
