import { describe, expect, it } from 'vitest';
import { FRAME_SCRIPT, FRAME_SCRIPT_HASH } from '../app/d/[room]/preview/frame-script.generated';
import { bundleFrameScript, cspHash } from './build-preview-frame';

describe('the preview frame script', () => {
  it('is up to date with its sources (else run: npx tsx scripts/build-preview-frame.ts)', async () => {
    expect(FRAME_SCRIPT).toBe(await bundleFrameScript());
  });

  it('is allowed by its CSP hash and by nothing broader', () => {
    expect(FRAME_SCRIPT_HASH).toBe(cspHash(FRAME_SCRIPT));
    expect(FRAME_SCRIPT).not.toMatch(/<\/script/i);
  });
});
