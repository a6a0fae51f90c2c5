import { describe, expect, it } from 'vitest';
import {
  base64UrlDecode,
  base64UrlEncode,
  generateLinkId,
  isValidLinkId,
  readClaimsUnverified,
  signAdminToken,
  signToken,
  verifyAdminToken,
  verifyToken,
} from './token';

const SECRET = 'test-secret';
const claims = { room: 'room-1', role: 'edit', linkId: 'abcDEF123_-x' } as const;

describe('share tokens', () => {
  it('round-trips claims for the right room', async () => {
    const token = await signToken(SECRET, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await verifyToken(SECRET, token, { room: 'room-1' })).toEqual({ ok: true, claims });
  });

  it('reports a missing token', async () => {
    expect(await verifyToken(SECRET, null, { room: 'r' })).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(await verifyToken(SECRET, '', { room: 'r' })).toEqual({ ok: false, reason: 'missing' });
  });

  it.each(['nodot', 'a.b.c', '.sig', 'payload.', 'pay*load.sig', `${'a'.repeat(3000)}.b`])(
    'reports %s as malformed',
    async (token) => {
      expect(await verifyToken(SECRET, token, { room: 'r' })).toEqual({
        ok: false,
        reason: 'malformed',
      });
    },
  );

  it('reports a token signed with another secret as forged', async () => {
    const token = await signToken('other-secret', claims);
    expect(await verifyToken(SECRET, token, { room: 'room-1' })).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('reports edited claims as forged, even when they name another room', async () => {
    const token = await signToken(SECRET, { ...claims, role: 'view' });
    const [, signature] = token.split('.');
    const promoted = base64UrlEncode(
      new TextEncoder().encode(JSON.stringify({ ...claims, role: 'edit' })),
    );
    expect(await verifyToken(SECRET, `${promoted}.${signature}`, { room: 'room-1' })).toEqual({
      ok: false,
      reason: 'forged',
    });
    const moved = base64UrlEncode(
      new TextEncoder().encode(JSON.stringify({ ...claims, room: 'elsewhere' })),
    );
    expect(await verifyToken(SECRET, `${moved}.${signature}`, { room: 'elsewhere' })).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('reports a flipped signature bit as forged', async () => {
    const token = await signToken(SECRET, claims);
    const [payload, signature = ''] = token.split('.');
    const bytes = base64UrlDecode(signature) as Uint8Array;
    bytes[0] = (bytes[0] as number) ^ 1;
    expect(
      await verifyToken(SECRET, `${payload}.${base64UrlEncode(bytes)}`, { room: 'room-1' }),
    ).toEqual({ ok: false, reason: 'forged' });
  });

  it('reports expiry at and after exp, and accepts before it', async () => {
    const token = await signToken(SECRET, { ...claims, exp: 1000 });
    expect(await verifyToken(SECRET, token, { room: 'room-1', nowSeconds: 999 })).toMatchObject({
      ok: true,
    });
    expect(await verifyToken(SECRET, token, { room: 'room-1', nowSeconds: 1000 })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('reports a genuine token for another room as wrong-room', async () => {
    const token = await signToken(SECRET, claims);
    expect(await verifyToken(SECRET, token, { room: 'room-2' })).toEqual({
      ok: false,
      reason: 'wrong-room',
    });
  });

  it('reads claims without verifying (for rendering only)', async () => {
    const token = await signToken('any', { ...claims, role: 'view' });
    expect(readClaimsUnverified(token)).toEqual({ ...claims, role: 'view' });
    expect(readClaimsUnverified('garbage')).toBeNull();
  });

  it('refuses to sign with an empty secret or a bad link id', async () => {
    await expect(signToken('', claims)).rejects.toThrow(RangeError);
    await expect(signToken(SECRET, { ...claims, linkId: 'a b' })).rejects.toThrow(RangeError);
  });

  it('generates distinct valid link ids', () => {
    const ids = new Set(Array.from({ length: 100 }, generateLinkId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(isValidLinkId(id)).toBe(true);
  });
});

describe('admin tokens', () => {
  it('verify as admin, never as a share token, and expire', async () => {
    const admin = await signAdminToken('s3cret', { linkId: 'adm1n' });
    expect(await verifyAdminToken('s3cret', admin)).toEqual({
      ok: true,
      claims: { admin: true, linkId: 'adm1n' },
    });
    expect(await verifyToken('s3cret', admin, { room: 'r' })).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect((await verifyAdminToken('other', admin)).ok).toBe(false);
    const share = await signToken('s3cret', { room: 'r', role: 'edit', linkId: 'l1' });
    expect(await verifyAdminToken('s3cret', share)).toEqual({ ok: false, reason: 'malformed' });
    const old = await signAdminToken('s3cret', { linkId: 'adm1n', exp: 100 });
    expect(await verifyAdminToken('s3cret', old, 200)).toEqual({ ok: false, reason: 'expired' });
  });
});
