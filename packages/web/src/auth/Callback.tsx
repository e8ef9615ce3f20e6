import { useEffect, useRef, useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { navigate } from '../router.js';
import { completeSignIn, startSignIn, type CallbackOutcome } from './session.js';

/** `/auth/callback`: redeems the authorization code, or says the user signed out or why sign-in failed. */
export function Callback({ onSignedIn }: { onSignedIn: () => void }) {
  const [outcome, setOutcome] = useState<CallbackOutcome | undefined>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // StrictMode runs effects twice; a code can be redeemed once.
    started.current = true;
    void completeSignIn(new URL(location.href)).then((result) => {
      if (result.kind === 'signed-in') {
        navigate(result.returnTo, true);
        onSignedIn();
      } else setOutcome(result);
    });
  }, [onSignedIn]);
  if (!outcome) {
    return (
      <main className="centered" aria-busy="true">
        <p>Signing in…</p>
      </main>
    );
  }
  return (
    <main className="centered">
      <h1>{outcome.kind === 'signed-out' ? 'You are signed out' : 'Sign-in failed'}</h1>
      {outcome.kind === 'error' && <ErrorAlert message={outcome.message} />}
      <button type="button" className="primary" onClick={() => void startSignIn('/')}>
        Sign in
      </button>
    </main>
  );
}
