import { describe, expect, it } from 'vitest';
import { RoomAudience } from './audience';

/** A watched room whose own subscription is in place. */
function confirmed(room = 'r'): RoomAudience {
  const audience = new RoomAudience();
  audience.watch(room);
  audience.confirm(room);
  return audience;
}

describe('RoomAudience', () => {
  it('reaches others until a broadcast is answered by nobody else', () => {
    const audience = confirmed();
    expect(audience.reachesOthers('r')).toBe(true);
    const ticket = audience.ticket('r') as number;
    audience.reached('r', ticket, 1);
    expect(audience.reachesOthers('r')).toBe(true);
    audience.reached('r', ticket, 0);
    expect(audience.reachesOthers('r')).toBe(false);
  });

  it('any frame from another instance makes the room shared again', () => {
    const audience = confirmed();
    audience.reached('r', audience.ticket('r') as number, 0);
    audience.heardFrom('r');
    expect(audience.reachesOthers('r')).toBe(true);
  });

  it('ignores a reply counted before a newcomer announced itself', () => {
    const audience = confirmed();
    const ticket = audience.ticket('r') as number;
    audience.heardFrom('r'); // the newcomer's step 1 overtakes the reply
    audience.reached('r', ticket, 0);
    expect(audience.reachesOthers('r')).toBe(true);
  });

  it('trusts no count taken without its own subscription in place', () => {
    const audience = new RoomAudience();
    audience.watch('r');
    expect(audience.ticket('r')).toBeUndefined();
    audience.confirm('r');
    const ticket = audience.ticket('r') as number;
    audience.lost(); // the subscriber dropped while the broadcast was out
    audience.reached('r', ticket, 0);
    expect(audience.reachesOthers('r')).toBe(true);
    expect(audience.ticket('r')).toBeUndefined();
  });

  it('forgets a room on unwatch and always reaches others for rooms it does not watch', () => {
    const audience = confirmed();
    audience.reached('r', audience.ticket('r') as number, 0);
    audience.unwatch('r');
    expect(audience.reachesOthers('r')).toBe(true);
    expect(audience.reachesOthers('elsewhere')).toBe(true);
    audience.heardFrom('elsewhere');
    expect(audience.ticket('elsewhere')).toBeUndefined();
  });

  it('keeps rooms apart', () => {
    const audience = confirmed('a');
    audience.watch('b');
    audience.confirm('b');
    audience.reached('a', audience.ticket('a') as number, 0);
    expect(audience.reachesOthers('a')).toBe(false);
    expect(audience.reachesOthers('b')).toBe(true);
  });
});
