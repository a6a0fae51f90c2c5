import { createDocument } from './actions';
import styles from './home.module.css';
import { Logo } from './logo';
import { RecentDocs } from './recent-docs';

export default function HomePage() {
  return (
    <main className={styles.home}>
      <header className={styles.brandRow}>
        <Logo />
        <span className={styles.brandName}>coedit</span>
      </header>
      <section className={styles.hero}>
        <h1>Write together, in real time.</h1>
        <p className={styles.lead}>
          Start a document and share its link. Everyone with the link edits the same text and sees
          each other’s cursors. Keep typing offline: changes sync when you are back.
        </p>
        <form action={createDocument}>
          <button type="submit" className={styles.primary}>
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path
                d="M8 3v10M3 8h10"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
              />
            </svg>
            New document
          </button>
        </form>
      </section>
      <section className={styles.recent} aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent documents</h2>
        <RecentDocs />
      </section>
    </main>
  );
}
