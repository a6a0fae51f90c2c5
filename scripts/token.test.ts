import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAdminToken, verifyToken } from '../lib/token';
import { ensureSecretFile, readSecretFile } from './secret';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, 'token.ts');
// Absolute, because the script runs in a temp directory with no node_modules.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'coedit-token-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function token(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env?.COEDIT_SECRET) delete env.COEDIT_SECRET;
  return run(process.execPath, ['--import', TSX, SCRIPT, ...args], {
    cwd: options.cwd ?? tempDir(),
    env,
  });
}

describe('npm run token', () => {
  it('--admin prints an admin token (and refuses a room or role with it)', async () => {
    const { stdout } = await token(['--admin', '--secret', 's3cret']);
    expect(await verifyAdminToken('s3cret', stdout.trim())).toMatchObject({
      ok: true,
      claims: { admin: true },
    });
    await expect(token(['--admin', '--room', 'abc', '--secret', 's3cret'])).rejects.toMatchObject({
      stderr: expect.stringContaining('--admin takes no --room or --role'),
    });
  });

  it('prints a token the relay accepts, from --secret', async () => {
    const { stdout } = await token(['--room', 'abc', '--role', 'view', '--secret', 's3cret']);
    const result = await verifyToken('s3cret', stdout.trim(), { room: 'abc' });
    expect(result).toMatchObject({ ok: true, claims: { room: 'abc', role: 'view' } });
  });

  it('uses COEDIT_SECRET, then ./data/secret', async () => {
    const fromEnv = await token(['--room', 'abc', '--role', 'edit'], {
      env: { COEDIT_SECRET: 'env-secret' },
    });
    expect(await verifyToken('env-secret', fromEnv.stdout.trim(), { room: 'abc' })).toMatchObject({
      ok: true,
    });
    const cwd = tempDir();
    const { secret } = ensureSecretFile(join(cwd, 'data', 'secret'));
    const fromFile = await token(['--room', 'abc', '--role', 'edit'], { cwd });
    expect(await verifyToken(secret, fromFile.stdout.trim(), { room: 'abc' })).toMatchObject({
      ok: true,
    });
  });

  it('fails with exit 2 and a reason on bad input', async () => {
    await expect(token(['--room', 'a b', '--role', 'edit', '--secret', 's'])).rejects.toMatchObject(
      { code: 2, stderr: expect.stringContaining('--room') },
    );
    await expect(
      token(['--room', 'abc', '--role', 'admin', '--secret', 's']),
    ).rejects.toMatchObject({ code: 2 });
    await expect(token(['--room', 'abc', '--role', 'edit'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no secret'),
    });
  });
});

describe('secret file', () => {
  it('is created once with mode 0600 and then reused', () => {
    const path = join(tempDir(), 'nested', 'secret');
    const first = ensureSecretFile(path);
    expect(first.created).toBe(true);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ensureSecretFile(path)).toEqual({ secret: first.secret, created: false });
    expect(readSecretFile(path)).toBe(first.secret);
  });

  it('treats an empty file as missing', () => {
    const path = join(tempDir(), 'secret');
    writeFileSync(path, '\n');
    expect(readSecretFile(path)).toBeUndefined();
    expect(ensureSecretFile(path).created).toBe(false);
  });
});
