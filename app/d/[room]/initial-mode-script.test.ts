// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { initialModeScript } from './initial-mode-script';

const ROOM = 'room-1';
const token = (role: string) =>
  `${btoa(JSON.stringify({ room: ROOM, role, linkId: 'abc' }))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')}.signature`;

/** Runs the script as the page does, right after a workspace element; returns the mode it set. */
function run(role: 'edit' | 'view' | null, wide: boolean): string | null {
  window.matchMedia = ((query: string) => ({ matches: wide, media: query })) as never;
  const workspace = document.createElement('div');
  const code = initialModeScript(ROOM, role);
  new Function('document', code)({ currentScript: { previousElementSibling: workspace } });
  return workspace.getAttribute('data-mode');
}

afterEach(() => localStorage.clear());

describe('the initial mode script', () => {
  it('starts editors in Split on wide screens and Edit on narrow ones', () => {
    expect(run(null, true)).toBe('split');
    expect(run(null, false)).toBe('edit');
    expect(run('edit', true)).toBe('split');
  });

  it('uses the remembered mode', () => {
    localStorage.setItem('coedit:view-mode', 'view');
    expect(run(null, false)).toBe('view');
    localStorage.setItem('coedit:view-mode', 'bogus');
    expect(run(null, false)).toBe('edit');
  });

  it('starts a view link in View, from the URL or from the token remembered for the room', () => {
    localStorage.setItem('coedit:view-mode', 'edit');
    expect(run('view', true)).toBe('view');
    localStorage.setItem(`coedit:token:${ROOM}`, token('view'));
    expect(run(null, true)).toBe('view');
    localStorage.setItem(`coedit:token:${ROOM}`, token('edit'));
    expect(run(null, true)).toBe('edit');
  });

  it('falls back to the editor rules on a malformed token, and to nothing when storage throws', () => {
    localStorage.setItem(`coedit:token:${ROOM}`, '%%%.x');
    expect(run(null, true)).toBeNull();
    localStorage.setItem(`coedit:token:${ROOM}`, 'e30.x'); // {}: no role
    expect(run(null, true)).toBe('split');
  });

  it('cannot be closed early by its data', () => {
    expect(initialModeScript('</script><script>alert(1)//', null)).not.toContain('</script');
  });
});
