'use server';

import { redirect } from 'next/navigation';
import { generateRoomId } from '../lib/room-id';
import { generateLinkId, PAGE_TOKEN_PARAM, signToken } from '../lib/token';

/**
 * "New document": a fresh unguessable room. Works without client JavaScript (a plain form).
 * When a secret is configured the relay wants a token, so the creator gets an edit link: the
 * room's first link, from which the Share dialog creates the others.
 */
export async function createDocument(): Promise<never> {
  const room = generateRoomId();
  const secret = process.env.COEDIT_SECRET;
  if (!secret) redirect(`/d/${room}`);
  const token = await signToken(secret, { room, role: 'edit', linkId: generateLinkId() });
  redirect(`/d/${room}?${PAGE_TOKEN_PARAM}=${token}`);
}
