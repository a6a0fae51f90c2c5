import styles from './logo.module.css';

/** The coedit mark shown in every page header (decorative: the text beside it names the app). */
export function Logo() {
  return (
    <span className={styles.logo} aria-hidden="true">
      co
    </span>
  );
}
