'use client';

import styles from './admin.module.css';
import type { DashboardTimeline } from './timeline';

const HEALTH_TEXT = {
  ok: 'ok',
  degraded: 'degraded (Redis unreachable)',
  'shutting-down': 'shutting down',
  unreachable: 'unreachable',
} as const;

/** One row per relay instance: its health at a glance, and its latest numbers. */
export function InstanceList({ timeline, now }: { timeline: DashboardTimeline; now: number }) {
  const instances = timeline.order();
  return (
    <section className={styles.section} aria-labelledby="instances-heading">
      <h2 id="instances-heading" className={styles.sectionTitle}>
        Relays
      </h2>
      {instances.length === 0 ? (
        <p className={styles.empty}>No samples yet.</p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Instance</th>
              <th scope="col">Status</th>
              <th scope="col">Connections</th>
              <th scope="col">Rooms</th>
              <th scope="col">Updates in (total)</th>
              <th scope="col">Last sample</th>
            </tr>
          </thead>
          <tbody>
            {instances.map((instance) => {
              const last = timeline.latest(instance);
              const health = timeline.health(instance, now);
              const at = timeline.receivedAt.get(instance);
              const age = at === undefined ? null : Math.max(0, Math.round((now - at) / 1000));
              return (
                <tr key={instance} data-instance={instance} data-health={health}>
                  <th scope="row">
                    <code>{instance}</code>
                    {instance === timeline.self && <span className={styles.self}> this relay</span>}
                  </th>
                  <td>
                    <span className={`${styles.health} ${styles[`health-${health}`] ?? ''}`}>
                      {HEALTH_TEXT[health]}
                    </span>
                  </td>
                  <td data-cell="connections">{last?.connections ?? '–'}</td>
                  <td data-cell="rooms">{last?.rooms ?? '–'}</td>
                  <td data-cell="updates-total">{last?.updatesInTotal ?? '–'}</td>
                  <td data-cell="age">{age === null ? '–' : `${age} s ago`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
