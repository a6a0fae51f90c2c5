import { describe, expect, it } from 'vitest';
import { doubledTaskMarker, lineAt, lineStartOffset, taskMarkerEdit } from './task-toggle';

describe('taskMarkerEdit', () => {
  it('checks an open task and unchecks a done one', () => {
    expect(taskMarkerEdit('- [ ] buy milk')).toEqual({ offset: 3, replacement: 'x' });
    expect(taskMarkerEdit('- [x] buy milk')).toEqual({ offset: 3, replacement: ' ' });
    expect(taskMarkerEdit('- [X] buy milk')).toEqual({ offset: 3, replacement: ' ' });
  });

  it('finds the marker after any list marker, indentation or quote', () => {
    expect(taskMarkerEdit('  * [ ] nested')?.offset).toBe(5);
    expect(taskMarkerEdit('12. [ ] ordered')?.offset).toBe(5);
    expect(taskMarkerEdit('3) [ ] ordered')?.offset).toBe(4);
    expect(taskMarkerEdit('> - [ ] quoted')?.offset).toBe(5);
    expect(taskMarkerEdit('- [ ]')?.offset).toBe(3);
  });

  it('refuses lines that hold no task marker', () => {
    for (const line of ['[ ] no list', '- [] empty', '- [y] other', '-[ ] tight', '- [ ]x', '']) {
      expect(taskMarkerEdit(line), line).toBeNull();
    }
  });
});

describe('line offsets', () => {
  const text = 'zero\none\n\nthree';

  it('finds where each line starts, and -1 past the end', () => {
    expect([0, 1, 2, 3, 4].map((line) => lineStartOffset(text, line))).toEqual([0, 5, 9, 10, -1]);
  });

  it('reads one line without its newline', () => {
    expect(lineAt(text, 5)).toBe('one');
    expect(lineAt(text, 9)).toBe('');
    expect(lineAt(text, 10)).toBe('three');
  });
});

describe('doubledTaskMarker', () => {
  it('finds the extra state characters two concurrent ticks leave', () => {
    expect(doubledTaskMarker('- [xx] buy milk')).toEqual({ offset: 4, extra: 1 });
    expect(doubledTaskMarker('> 1. [x x] quoted')).toEqual({ offset: 7, extra: 2 });
    expect(doubledTaskMarker('- [  ]')).toEqual({ offset: 4, extra: 1 });
  });

  it('leaves single markers and non-tasks alone', () => {
    for (const line of ['- [x] done', '- [ ] open', '[xx] no list', '- [xy] other', '- [xx]x']) {
      expect(doubledTaskMarker(line)).toBeNull();
    }
  });
});
