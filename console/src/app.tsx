// The application: the session (signed in or not), the header, and the page for the route.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Session } from './api';
import { describeError, readSession, setRegion, setSession, signOut, whenSignedOut } from './api';
import { ErrorMessage } from './components/ErrorMessage';
import { Events } from './pages/Events';
import { Insights } from './pages/Insights';
import { Integrity } from './pages/Integrity';
import { SignIn } from './pages/SignIn';
import { TrailDetail } from './pages/TrailDetail';
import { Trails } from './pages/Trails';
import type { Route } from './route';
import { useRoute } from './route';

type State = { kind: 'loading' } | { kind: 'signedOut' } | { kind: 'signedIn'; session: Session } | { kind: 'failed'; error: string };

const NAV: { page: Route['page']; href: string; label: string }[] = [
  { page: 'events', href: '#/events', label: 'Event history' },
  { page: 'trails', href: '#/trails', label: 'Trails' },
  { page: 'insights', href: '#/insights', label: 'Insights' },
  { page: 'integrity', href: '#/integrity', label: 'Integrity' },
];

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [region, setRegionState] = useState('');
  const route = useRoute();

  const signedIn = useCallback((session: Session) => {
    setSession(session);
    setRegionState(session.region);
    setState({ kind: 'signedIn', session });
  }, []);

  useEffect(() => {
    whenSignedOut(() => {
      setSession(undefined);
      setState({ kind: 'signedOut' });
    });
    readSession()
      .then((session) => (session === undefined ? setState({ kind: 'signedOut' }) : signedIn(session)))
      .catch((e: unknown) => setState({ kind: 'failed', error: describeError(e) }));
  }, [signedIn]);

  if (state.kind === 'loading') return <p class="loading">Loading…</p>;
  if (state.kind === 'failed') return <ErrorMessage error={state.error} />;
  if (state.kind === 'signedOut') return <SignIn onSignedIn={signedIn} />;

  const { session } = state;
  const regions = session.regions.length > 0 ? session.regions : [session.region];
  const changeRegion = (r: string) => {
    setRegion(r);
    setRegionState(r);
  };
  const leave = async () => {
    try {
      await signOut();
    } finally {
      setSession(undefined);
      setState({ kind: 'signedOut' });
    }
  };
  const current = route.page === 'trail' ? 'trails' : route.page;

  return (
    <>
      <header class="top">
        <a class="brand" href="#/events">
          OpenTrail
        </a>
        <nav aria-label="Pages">
          {NAV.map((n) => (
            <a key={n.page} href={n.href} aria-current={current === n.page ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <div class="who">
          <span class="arn" title="Signed in as">
            {session.arn}
          </span>
          <span class="account">Account {session.accountId}</span>
          <span class="region">
            <label for="region-switcher">Region</label>
            <select id="region-switcher" value={region} onChange={(e) => changeRegion(e.currentTarget.value)}>
              {regions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </span>
          <button type="button" class="secondary" onClick={() => void leave()}>
            Sign out
          </button>
        </div>
      </header>
      <main class="page" key={region}>
        {route.page === 'events' && <Events />}
        {route.page === 'trails' && <Trails />}
        {route.page === 'trail' && route.name !== undefined && <TrailDetail name={route.name} />}
        {route.page === 'insights' && <Insights />}
        {route.page === 'integrity' && <Integrity region={region} />}
      </main>
    </>
  );
}
