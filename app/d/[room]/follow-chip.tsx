'use client';

import { useSession } from './collab-root';
import { backgroundClass } from './color-classes';
import styles from './doc.module.css';
import { NOBODY } from './presence-feed';
import { useStore } from './store';

/**
 * "Following <name>" over the editor while follow mode lasts, with a button to stop. A polite
 * live region, so screen readers announce it; it re-renders only when following starts or stops
 * (or the person renames), never as the leader types.
 */
export function FollowChip() {
  const session = useSession();
  const leader = useStore(session?.follow.leader, null);
  const people = useStore(session?.presence.people, NOBODY);
  const person = leader === null ? undefined : people.find((p) => p.clientId === leader);
  return (
    <div className={styles.followRegion} role="status" aria-live="polite">
      {person ? (
        <div className={styles.followChip} data-testid="follow-chip">
          <span
            className={`${styles.followDot} ${backgroundClass(person.color)}`}
            aria-hidden="true"
          />
          <span className={styles.followText}>
            Following <bdi>{person.name}</bdi>
          </span>
          <button
            type="button"
            className={styles.followStop}
            aria-label={`Stop following ${person.name}`}
            onClick={() => session?.follow.stop()}
          >
            Stop
          </button>
        </div>
      ) : null}
    </div>
  );
}
