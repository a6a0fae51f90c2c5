import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="not-found">
      <p className="code">404</p>
      <h1>Document not found</h1>
      <p className="lead">
        This link does not point to a coedit document. Check that it was copied completely.
      </p>
      <Link href="/" className="primary">
        Go to your documents
      </Link>
    </main>
  );
}
