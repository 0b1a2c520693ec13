// The sign-in page: an IAM user's access key (id and secret), and optionally a region.
import { useState } from 'preact/hooks';
import type { Session } from '../api';
import { describeError, signIn } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { REGIONS } from '../regions';

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [region, setRegion] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signIn(accessKeyId.trim(), secret, region === '' ? undefined : region));
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>OpenTrail</h1>
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in with an access key</h2>
        <label>
          Access key ID
          <input name="accessKeyId" autoComplete="username" required spellcheck={false} value={accessKeyId} onInput={(e) => setAccessKeyId(e.currentTarget.value)} />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" autoComplete="current-password" required value={secret} onInput={(e) => setSecret(e.currentTarget.value)} />
        </label>
        <div class="field">
          <label for="sign-in-region">Region (optional)</label>
          <select id="sign-in-region" name="region" value={region} onChange={(e) => setRegion(e.currentTarget.value)}>
            <option value="">Default</option>
            {REGIONS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
