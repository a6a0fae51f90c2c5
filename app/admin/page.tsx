import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Dashboard } from './dashboard';

export const metadata: Metadata = {
  title: 'Operations · coedit',
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

/** Port the browser uses for the relay when RELAY_URL is not set (as the document page). */
const DEFAULT_RELAY_PORT = '1234';

/**
 * The live operations dashboard. The page itself holds nothing secret: the browser streams the
 * data straight from the relay with the admin token (see dashboard.tsx).
 */
export default async function AdminPage() {
  // Read the relay's address per request, so one build serves any deployment.
  await connection();
  const relayUrl = process.env.RELAY_URL?.trim() || null;
  const relayPort = process.env.RELAY_PORT?.trim() || DEFAULT_RELAY_PORT;
  return <Dashboard relayUrl={relayUrl} relayPort={relayPort} />;
}
