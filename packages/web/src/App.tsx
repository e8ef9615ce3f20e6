import { useEffect, useState } from 'react';
import { onSessionExpired, readableError } from './api.js';
import { Callback } from './auth/Callback.js';
import {
  CALLBACK_PATH,
  currentSubject,
  hasSession,
  startSignIn,
  type SignedInSubject,
} from './auth/session.js';
import { ErrorAlert } from './components/ErrorAlert.js';
import { Layout } from './Layout.js';
import { loadPermissions, type PermissionMap } from './permissions.js';
import { usePath } from './router.js';

type State =
  | { kind: 'loading' }
  | { kind: 'expired' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; subject: SignedInSubject; perms: PermissionMap };

/** The application shell: sign-in callback, session expiry, then the signed-in layout. */
export function App() {
  const path = usePath();
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => onSessionExpired(() => setState({ kind: 'expired' })), []);

  const onCallback = path === CALLBACK_PATH;
  useEffect(() => {
    if (onCallback) return;
    if (!hasSession()) {
      void startSignIn();
      return;
    }
    const subject = currentSubject();
    if (!subject) {
      void startSignIn();
      return;
    }
    let live = true;
    setState({ kind: 'loading' });
    loadPermissions(subject).then(
      (perms) => live && setState({ kind: 'ready', subject, perms }),
      (err: unknown) =>
        live && setState((s) => (s.kind === 'expired' ? s : { kind: 'error', message: readableError(err) })),
    );
    return () => {
      live = false;
    };
  }, [onCallback, attempt]);

  if (onCallback) return <Callback onSignedIn={() => setAttempt((n) => n + 1)} />;
  switch (state.kind) {
    case 'loading':
      return (
        <main className="centered" aria-busy="true">
          <p>Loading…</p>
        </main>
      );
    case 'expired':
      return (
        <main className="centered">
          <h1>Signed out</h1>
          <ErrorAlert message="Your session has expired. Sign in again to continue." />
          <button type="button" className="primary" onClick={() => void startSignIn()}>
            Sign in again
          </button>
        </main>
      );
    case 'error':
      return (
        <main className="centered">
          <h1>Tessera</h1>
          <ErrorAlert message={state.message} />
          <button type="button" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </main>
      );
    case 'ready':
      return <Layout path={path} subject={state.subject} perms={state.perms} />;
  }
}
