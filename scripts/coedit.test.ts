/**
 * `npm run coedit`: the CLI against a real relay (with version history), as a script runs it,
 * while a y-websocket client watches the document change live.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HistoryRelay, startHistoryRelay } from '../server/history/test-relay';
import { connectClient, waitFor } from '../server/test/harness';

const SCRIPT = resolve(import.meta.dirname, 'coedit.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

let relay: HistoryRelay;
beforeAll(async () => {
  relay = await startHistoryRelay();
});
afterAll(() => relay.close());

function coedit(
  args: string[],
  stdin?: string,
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', TSX, SCRIPT, ...args], {
      env: { ...process.env, COEDIT_RELAY: relay.httpUrl, COEDIT_TOKEN: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end(stdin ?? '');
    child.on('close', (code) => done({ stdout, stderr, code: code ?? -1 }));
  });
}

describe('npm run coedit', () => {
  it('creates, reads, writes, appends, lists and restores, live for a connected client', async () => {
    const created = await coedit(['new', '--title', 'Changelog', '-'], '# Changelog\n');
    expect(created.code).toBe(0);
    const { room, editUrl } = JSON.parse(created.stdout) as { room: string; editUrl: string };
    expect(editUrl).toBe(`/d/${room}`);
    const watcher = connectClient(relay.url, room);
    try {
      await waitFor(() => watcher.text.toString() === '# Changelog\n', 10_000, 'created text');
      expect((await coedit(['get', room])).stdout).toBe('# Changelog\n');
      const appended = await coedit(['append', room, '- v1', '--author', 'CI'], undefined);
      expect(appended.code).toBe(0);
      await waitFor(() => watcher.text.toString() === '# Changelog\n- v1', 10_000, 'appended');
      await relay.api.save(room, 'before rewrite');
      expect((await coedit(['put', room, '-'], 'rewritten\n')).code).toBe(0);
      await waitFor(() => watcher.text.toString() === 'rewritten\n', 10_000, 'put');
      const versions = JSON.parse((await coedit(['versions', room])).stdout) as {
        id: string;
        name: string;
      }[];
      const named = versions.find((v) => v.name === 'before rewrite');
      expect(named).toBeDefined();
      expect((await coedit(['restore', room, named?.id ?? ''])).code).toBe(0);
      await waitFor(() => watcher.text.toString() === '# Changelog\n- v1', 10_000, 'restored');
      const html = await coedit(['get', room, '--html']);
      expect(html.stdout).toMatch(/<h1[^>]*>Changelog<\/h1>/);

      const listed = await coedit(['ls']);
      expect(listed.stdout).toContain(`${room}\t1\t`);
      const closed = new Promise<number>((done) =>
        watcher.provider.on('connection-close', (event: CloseEvent | null) =>
          done(event?.code ?? 0),
        ),
      );
      expect(JSON.parse((await coedit(['rm', room])).stdout)).toEqual({ room, deleted: true });
      expect(await closed).toBe(4410);
      expect((await coedit(['get', room])).stderr).toContain('410 gone');
      expect((await coedit(['ls'])).stdout).not.toContain(room);
    } finally {
      watcher.destroy();
    }
  });

  it('explains what is wrong: usage (exit 2) and API errors (exit 1)', async () => {
    const usage = await coedit(['frobnicate']);
    expect([usage.code, usage.stderr]).toEqual([
      2,
      expect.stringContaining('unknown command "frobnicate"'),
    ]);
    const missing = await coedit(['restore', 'someroom', 'noversion']);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('404 not-found')]);
  });
});
