'use server';

import { redirect } from 'next/navigation';
import { generateRoomId } from '../lib/room-id';

/** "New document": a fresh unguessable room. Works without client JavaScript (a plain form). */
export async function createDocument(): Promise<never> {
  redirect(`/d/${generateRoomId()}`);
}
