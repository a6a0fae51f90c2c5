import { describe, expect, it } from 'vitest';
import {
  MAX_DIAGRAM_DRAWINGS,
  MAX_OUTLINE_HEADINGS,
  parseFromFrame,
  parseToFrame,
} from './preview-protocol';

describe('messages from the preview frame', () => {
  it('accepts the known shapes', () => {
    expect(parseFromFrame({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(parseFromFrame({ type: 'toggle-task', line: 4 })).toEqual({
      type: 'toggle-task',
      line: 4,
    });
    expect(parseFromFrame({ type: 'scrolled', line: 0 })).toEqual({ type: 'scrolled', line: 0 });
    const headings = [{ level: 2, text: 'Intro', line: 3 }];
    expect(parseFromFrame({ type: 'rendered', seq: 7, headings })).toEqual({
      type: 'rendered',
      seq: 7,
      headings,
    });
    expect(parseFromFrame({ type: 'painted', seq: 7 })).toEqual({ type: 'painted', seq: 7 });
    expect(parseFromFrame({ type: 'csp-violation', directive: 'img-src' })).toEqual({
      type: 'csp-violation',
      directive: 'img-src',
    });
    const drawings = [{ source: 'graph TD\nA-->B\n', svg: '<svg></svg>' }];
    expect(parseFromFrame({ type: 'diagrams', id: 2, drawings })).toEqual({
      type: 'diagrams',
      id: 2,
      drawings,
    });
  });

  it('drops anything else', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'eval', code: 'x' },
      { type: 'ready', extra: 1 },
      { type: 'toggle-task', line: -1 },
      { type: 'toggle-task', line: 1.5 },
      { type: 'toggle-task', line: '3' },
      { type: 'scrolled' },
      { type: 'rendered', seq: 1, headings: [{ level: 7, text: 'x', line: 0 }] },
      { type: 'rendered', seq: 1, headings: [{ level: 1, text: 1, line: 0 }] },
      { type: 'rendered', seq: 1, headings: [{ level: 1, text: 'x', line: 0, html: '<b>' }] },
      { type: 'rendered', seq: 1, headings: [{ level: 1, text: 'x'.repeat(301), line: 0 }] },
      { type: 'rendered', seq: -1, headings: [] },
      { type: 'painted', seq: 1.5 },
      { type: 'painted', seq: 1, html: '<b>' },
      { type: 'csp-violation', directive: 5 },
      { type: 'diagrams', id: 1 },
      { type: 'diagrams', id: -1, drawings: [] },
      { type: 'diagrams', id: 1, drawings: [{ source: 'x' }] },
      { type: 'diagrams', id: 1, drawings: [{ source: 'x', svg: 5 }] },
      { type: 'diagrams', id: 1, drawings: [{ source: 'x', svg: '', html: '<b>' }] },
      { type: 'diagrams', id: 1, drawings: [{ source: 'x', svg: 'x'.repeat(10_000_001) }] },
      {
        type: 'diagrams',
        id: 1,
        drawings: Array.from({ length: MAX_DIAGRAM_DRAWINGS + 1 }, () => ({ source: '', svg: '' })),
      },
    ];
    for (const data of bad) expect(parseFromFrame(data), JSON.stringify(data)).toBeNull();
  });

  it('bounds the outline', () => {
    const heading = { level: 1, text: 'h', line: 0 };
    const headings = Array.from({ length: MAX_OUTLINE_HEADINGS + 1 }, () => heading);
    expect(parseFromFrame({ type: 'rendered', seq: 1, headings })).toBeNull();
  });

  it('cuts long directive names', () => {
    const message = parseFromFrame({ type: 'csp-violation', directive: 'x'.repeat(500) });
    expect(message?.type === 'csp-violation' && message.directive.length).toBe(100);
  });
});

describe('messages to the preview frame', () => {
  it('accepts render, connect and scroll messages', () => {
    expect(parseToFrame({ type: 'connect' })).toEqual({ type: 'connect' });
    const blocks = [
      { html: '<p>x</p>', line: 3 },
      { same: 0, line: 5 },
    ];
    const render = { type: 'render', seq: 1, blocks, math: false };
    expect(parseToFrame(render)).toEqual(render);
    expect(parseToFrame({ type: 'scroll-to-line', line: 9 })).toEqual({
      type: 'scroll-to-line',
      line: 9,
    });
    expect(parseToFrame({ type: 'diagrams-request', id: 3 })).toEqual({
      type: 'diagrams-request',
      id: 3,
    });
  });

  it('drops anything else', () => {
    const bad: unknown[] = [
      undefined,
      { type: 'render', seq: 1, html: '<p>x</p>', math: false },
      { type: 'render', seq: 1, blocks: [{ html: 5, line: 0 }], math: false },
      { type: 'render', seq: 1, blocks: [{ html: '', line: -1 }], math: false },
      { type: 'render', seq: 1, blocks: [{ html: '', line: 0, x: 1 }], math: false },
      { type: 'render', seq: 1, blocks: [{ html: '', same: 0, line: 0 }], math: false },
      { type: 'render', seq: 1, blocks: [{ same: -1, line: 0 }], math: false },
      { type: 'render', seq: 1, blocks: [], math: 'yes' },
      { type: 'render', seq: 1, blocks: [], math: false, script: 'x' },
      { type: 'scroll-to-line', line: -3 },
      { type: 'connect', port: 1 },
      { type: 'diagrams-request', id: 'x' },
      { type: 'diagrams-request', id: 1, reply: 'here' },
      { type: 'navigate', url: 'javascript:alert(1)' },
    ];
    for (const data of bad) expect(parseToFrame(data), JSON.stringify(data)).toBeNull();
  });
});
