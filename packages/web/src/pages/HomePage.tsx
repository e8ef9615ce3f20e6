import type { SignedInSubject } from '../auth/session.js';
import { navigate } from '../router.js';

/** The landing page: who is signed in and where they can go. */
export function HomePage({
  subject,
  pages,
}: {
  subject: SignedInSubject;
  pages: { path: string; label: string }[];
}) {
  return (
    <>
      <h1>Welcome</h1>
      <p>
        Signed in as <strong>{subject.name}</strong>.
      </p>
      {pages.length > 0 ? (
        <>
          <h2>Settings &amp; Tools</h2>
          <ul className="cards">
            {pages.map((p) => (
              <li key={p.path}>
                <a
                  href={p.path}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(p.path);
                  }}
                >
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>Your roles give you no administration pages. Ask an administrator if you need access.</p>
      )}
    </>
  );
}
