// A trail's insight selectors: API call rate and API error rate.
import { useEffect, useState } from 'preact/hooks';
import { call, describeError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import type { GetInsightSelectorsResponse, InsightType } from '../types';

const TYPES: { type: InsightType; label: string }[] = [
  { type: 'ApiCallRateInsight', label: 'API call rate (ApiCallRateInsight)' },
  { type: 'ApiErrorRateInsight', label: 'API error rate (ApiErrorRateInsight)' },
];

export function InsightSelectorsEditor({ trailName }: { trailName: string }) {
  const [chosen, setChosen] = useState<Set<InsightType>>(new Set());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = (answer: GetInsightSelectorsResponse) =>
    setChosen(new Set((answer.InsightSelectors ?? []).flatMap((s) => (s.InsightType !== undefined ? [s.InsightType] : []))));

  useEffect(() => {
    call<GetInsightSelectorsResponse>('GetInsightSelectors', { TrailName: trailName })
      .then(show)
      .catch((e: unknown) => {
        // A trail without insight selectors answers InsightNotEnabledException: nothing chosen.
        if (!(e instanceof Error && 'code' in e && e.code === 'InsightNotEnabledException')) setError(describeError(e));
      })
      .finally(() => setLoaded(true));
  }, [trailName]);

  const save = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      show(await call<GetInsightSelectorsResponse>('PutInsightSelectors', { TrailName: trailName, InsightSelectors: [...chosen].map((InsightType) => ({ InsightType })) }));
      setSaved(true);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (type: InsightType, on: boolean) =>
    setChosen((old) => {
      const next = new Set(old);
      if (on) next.add(type);
      else next.delete(type);
      return next;
    });

  return (
    <section class="card" aria-labelledby="insight-selectors-title">
      <h2 id="insight-selectors-title">Insight selectors</h2>
      <form onSubmit={(e) => void save(e)}>
        <div class="checks">
          {TYPES.map(({ type, label }) => (
            <label class="check" key={type}>
              <input type="checkbox" checked={chosen.has(type)} onChange={(e) => toggle(type, e.currentTarget.checked)} />
              {label}
            </label>
          ))}
        </div>
        <ErrorMessage error={error} />
        {saved && (
          <p class="ok" role="status">
            Insight selectors saved.
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy || !loaded}>
            Save insight selectors
          </button>
        </div>
      </form>
    </section>
  );
}
