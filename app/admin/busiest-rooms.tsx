'use client';

import Link from 'next/link';
import type { BusyRoom } from '../../lib/dashboard';
import { isValidRoomId } from '../../lib/room-id';
import styles from './admin.module.css';
import type { DashboardTimeline } from './timeline';

const SHOWN = 10;

/**
 * The rooms busiest now over every instance: people add up (each instance counts its own
 * sockets); updates do not (every instance applies every edit of a room), so the most any
 * instance saw is shown.
 */
export function busiestOverall(timeline: DashboardTimeline, now: number): BusyRoom[] {
  const byRoom = new Map<string, { people: number; updates: number }>();
  for (const instance of timeline.instances.keys()) {
    if (timeline.health(instance, now) === 'unreachable') continue;
    for (const { room, people, updates } of timeline.latest(instance)?.busiest ?? []) {
      const seen = byRoom.get(room) ?? { people: 0, updates: 0 };
      byRoom.set(room, { people: seen.people + people, updates: Math.max(seen.updates, updates) });
    }
  }
  return [...byRoom]
    .map(([room, r]) => ({ room, ...r }))
    .sort((a, b) => b.updates - a.updates || b.people - a.people)
    .slice(0, SHOWN);
}

export function BusiestRoomsTable({ timeline }: { timeline: DashboardTimeline }) {
  const rooms = busiestOverall(timeline, Date.now());
  return (
    <section className={styles.section} aria-labelledby="busiest-heading">
      <h2 id="busiest-heading" className={styles.sectionTitle}>
        Busiest rooms now
      </h2>
      {rooms.length === 0 ? (
        <p className={styles.empty}>No room is busy.</p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Room</th>
              <th scope="col">People</th>
              <th scope="col">Updates/s</th>
            </tr>
          </thead>
          <tbody>
            {rooms.map(({ room, people, updates }) => (
              <tr key={room} data-room={room}>
                <th scope="row">
                  {/* Room ids come from the relay: text only, and a link only if well-formed. */}
                  {isValidRoomId(room) ? (
                    <Link href={`/d/${room}`} className={styles.roomLink}>
                      {room}
                    </Link>
                  ) : (
                    <code>{room}</code>
                  )}
                </th>
                <td data-cell="people">{people}</td>
                <td data-cell="updates">{updates}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
