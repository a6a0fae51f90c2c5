import { describe, expect, it } from 'vitest';
import { dashboardEvent, SseParser } from './dashboard';

describe('SseParser', () => {
  it('yields whole events across any chunking, skips comments, joins data lines', () => {
    const text =
      ': heartbeat\n\nevent: sample\ndata: {"a":\ndata: 1}\n\nevent: history\r\ndata: {}\r\n\r\n';
    for (let size = 1; size <= text.length; size++) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < text.length; i += size)
        events.push(...parser.push(text.slice(i, i + size)));
      expect(events).toEqual([
        { event: 'sample', data: '{"a":\n1}' },
        { event: 'history', data: '{}' },
      ]);
    }
  });

  it('parses the dashboard events and ignores others', () => {
    expect(dashboardEvent('sample', '{"t":1}')).toEqual({ type: 'sample', data: { t: 1 } });
    expect(dashboardEvent('other', '{}')).toBeNull();
  });
});
