// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { BlockList } from './blocks';

function setup() {
  const root = document.createElement('div');
  let built = 0;
  const list = new BlockList(root, (html) => {
    built++;
    const element = document.createElement('div');
    element.innerHTML = html;
    return element;
  });
  const lines = () =>
    [...root.querySelectorAll('[data-source-line]')].map((e) => e.getAttribute('data-source-line'));
  return { root, list, lines, built: () => built };
}

const para = (text: string) => `<p data-source-line="0">${text}</p>`;

describe('BlockList', () => {
  it('shows the blocks with absolute source lines', () => {
    const { root, list, lines } = setup();
    list.update([
      { html: para('a'), line: 0 },
      { html: para('b'), line: 2 },
    ]);
    expect(root.textContent).toBe('ab');
    expect(lines()).toEqual(['0', '2']);
  });

  it('keeps unchanged blocks, shifting their lines, and builds only the new ones', () => {
    const { root, list, lines, built } = setup();
    list.update([
      { html: para('a'), line: 0 },
      { html: para('b'), line: 2 },
      { html: '<ul data-source-line="0"><li data-source-line="1">c</li></ul>', line: 4 },
    ]);
    const [a, b, c] = [...root.children];
    list.update([
      { html: para('new'), line: 0 },
      { html: para('a'), line: 2 },
      { html: para('b changed'), line: 4 },
      { html: '<ul data-source-line="0"><li data-source-line="1">c</li></ul>', line: 6 },
    ]);
    expect(root.textContent).toBe('newab changedc');
    expect(lines()).toEqual(['0', '2', '4', '6', '7']);
    expect(root.children[1]).toBe(a);
    expect(root.children[3]).toBe(c);
    expect(b?.isConnected).toBe(false);
    expect(built()).toBe(5);
  });

  it('handles removals, moves and repeated blocks', () => {
    const { root, list, lines } = setup();
    const blocks = ['x', 'y', 'x', 'z'].map((t, i) => ({ html: para(t), line: i * 2 }));
    list.update(blocks);
    list.update(
      [blocks[3], blocks[0], blocks[2]].map((b, i) => ({ html: b?.html ?? '', line: i })),
    );
    expect(root.textContent).toBe('zxx');
    expect(lines()).toEqual(['0', '1', '2']);
    list.update([]);
    expect(root.childElementCount).toBe(0);
  });

  it('shifts lines in elements that replaced the ones first shown (a rendered diagram)', () => {
    const { root, list, lines } = setup();
    const diagram = '<pre class="mermaid-source" data-source-line="0">graph</pre>';
    list.update([{ html: diagram, line: 3 }]);
    const svg = document.createElement('div');
    svg.setAttribute('data-source-line', '3');
    root.querySelector('pre')?.replaceWith(svg);
    list.update([{ html: diagram, line: 5 }]);
    expect(lines()).toEqual(['5']);
  });
});
