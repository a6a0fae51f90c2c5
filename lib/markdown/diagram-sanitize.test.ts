import createDOMPurify from 'dompurify';
import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { createDiagramSanitizer } from './diagram-sanitize';

const { window } = new JSDOM('');
const sanitize = createDiagramSanitizer(createDOMPurify(window));

function parse(svg: string): Element {
  const template = window.document.createElement('template');
  template.innerHTML = sanitize(svg);
  const root = template.content.firstElementChild;
  if (!root) throw new Error('nothing left');
  return root;
}

const wrap = (inner: string) => `<svg id="mmd-1" xmlns="http://www.w3.org/2000/svg">${inner}</svg>`;

describe('the diagram sanitizer', () => {
  it('keeps what Mermaid draws: shapes, text, markers, scoped style, class and ARIA', () => {
    const svg = parse(
      wrap(
        '<style>#mmd-1 .node rect{fill:#eee;}</style>' +
          '<defs><marker id="mmd-1_flowchart-v2-pointEnd"><path d="M0,0L10,5"/></marker></defs>' +
          '<g class="node" id="mmd-1-flowchart-A-0" aria-roledescription="node">' +
          '<rect width="10" height="10" style="fill:#f9f;stroke:#333"/>' +
          '<text><tspan>Label</tspan></text></g>' +
          '<path marker-end="url(#mmd-1_flowchart-v2-pointEnd)" d="M0,0L1,1"/>',
      ),
    );
    expect(svg.id).toBe('mmd-1');
    expect(svg.querySelector('style')?.textContent).toBe('#mmd-1 .node rect{fill:#eee;}');
    expect(svg.querySelector('marker')?.id).toBe('mmd-1_flowchart-v2-pointEnd');
    expect(svg.querySelector('g')?.getAttribute('aria-roledescription')).toBe('node');
    expect(svg.querySelector('rect')?.getAttribute('style')).toBe('fill:#f9f;stroke:#333');
    expect(svg.querySelector('tspan')?.textContent).toBe('Label');
    expect(svg.querySelector('path[marker-end]')?.getAttribute('marker-end')).toBe(
      'url(#mmd-1_flowchart-v2-pointEnd)',
    );
  });

  it('drops script, handlers, HTML labels, images, use and animations', () => {
    const svg = parse(
      wrap(
        '<script>alert(1)</script><g onclick="alert(1)" onload="alert(1)"><rect/></g>' +
          '<foreignObject><div><img src="x" onerror="alert(1)"></div></foreignObject>' +
          '<image href="https://evil.example/a.png"/><use href="https://evil.example/s.svg#x"/>' +
          '<a href="#"><set attributeName="href" to="javascript:alert(1)"/>' +
          '<animate attributeName="href" values="javascript:alert(1)"/>x</a>',
      ),
    );
    const html = svg.outerHTML;
    expect(html).not.toMatch(
      /script|onclick|onload|onerror|foreignObject|<img|<image|<use|<set|<animate|evil/i,
    );
  });

  it('keeps only allowed link addresses, opened in a new tab without opener', () => {
    const svg = parse(
      wrap(
        '<a href="javascript:alert(1)"><text>a</text></a>' +
          '<a xlink:href="javascript:alert(1)"><text>b</text></a>' +
          '<a href="https://example.com/"><text>c</text></a>',
      ),
    );
    const links = [...svg.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href') ?? a.getAttribute('xlink:href'))).toEqual([
      null,
      null,
      'https://example.com/',
    ]);
    expect(links[2]?.getAttribute('target')).toBe('_blank');
    expect(links[2]?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });

  it('drops ids outside the diagram prefix, so node names cannot clobber globals', () => {
    const svg = parse(wrap('<g id="preview-root"><rect id="location"/></g><g id="mmd-1-x"/>'));
    expect([...svg.querySelectorAll('[id]')].map((e) => e.id)).toEqual(['mmd-1-x']);
  });

  it('drops CSS that would load something, in attributes and in <style>', () => {
    const svg = parse(
      wrap(
        '<style>.x{background:url(https://evil.example/a.png)}</style>' +
          '<rect style="fill:url(https://evil.example/p)"/><rect fill="url(//evil.example/p)"/>' +
          '<rect style="fill:red;background:\\75rl(x)"/><style>@import "https://evil.example/x.css";</style>',
      ),
    );
    expect(svg.outerHTML).not.toMatch(/evil|@import|\\75/);
    expect(svg.querySelectorAll('rect')).toHaveLength(3);
  });
});
