import { expect } from '@playwright/test';
import { type DocPage, SYNC_TIMEOUT } from '../pages/doc-page';

/**
 * Wait until every user holds the same text and that text passes `check`; return it.
 * On timeout the failure shows what each user had, which is what you need to debug a divergence.
 */
export async function waitForConvergence(
  users: readonly DocPage[],
  check: (text: string) => boolean = () => true,
  timeout = SYNC_TIMEOUT,
): Promise<string> {
  let agreed = '';
  await expect
    .poll(
      async () => {
        const texts = await Promise.all(users.map((user) => user.text()));
        const first = texts[0] ?? '';
        if (texts.every((text) => text === first) && check(first)) {
          agreed = first;
          return 'converged';
        }
        return users.map((user, i) => `${user.name}: ${JSON.stringify(texts[i])}`).join('\n');
      },
      { timeout, message: `texts of ${users.map((user) => user.name).join(', ')} converge` },
    )
    .toBe('converged');
  return agreed;
}

/** Keep only the characters of `alphabet`: one user's keystrokes out of a merged text. */
export function onlyChars(text: string, alphabet: string): string {
  return [...text].filter((char) => alphabet.includes(char)).join('');
}
