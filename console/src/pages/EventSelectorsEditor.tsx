// A trail's event selectors: basic ones (read/write type, management events, data resources) or
// advanced ones as JSON, which PutEventSelectors itself validates.
import { useEffect, useState } from 'preact/hooks';
import { call, describeError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import type { EventSelector, GetEventSelectorsResponse, ReadWriteType } from '../types';

interface BasicDraft {
  id: number;
  readWrite: ReadWriteType;
  management: boolean;
  /** Data resources: type and its values, one a line. */
  resources: { id: number; type: string; values: string }[];
}

let ids = 1;
const DATA_TYPES = ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table'];

function draftOf(selector: EventSelector): BasicDraft {
  return {
    id: ids++,
    readWrite: selector.ReadWriteType ?? 'All',
    management: selector.IncludeManagementEvents ?? true,
    resources: (selector.DataResources ?? []).map((r) => ({ id: ids++, type: r.Type ?? '', values: (r.Values ?? []).join('\n') })),
  };
}

function selectorOf(draft: BasicDraft): EventSelector {
  return {
    ReadWriteType: draft.readWrite,
    IncludeManagementEvents: draft.management,
    DataResources: draft.resources.map((r) => ({
      Type: r.type.trim(),
      Values: r.values
        .split('\n')
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    })),
  };
}

export function EventSelectorsEditor({ trailName }: { trailName: string }) {
  const [mode, setMode] = useState<'basic' | 'advanced'>('basic');
  const [basic, setBasic] = useState<BasicDraft[]>([]);
  const [advanced, setAdvanced] = useState('[]');
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const show = (answer: GetEventSelectorsResponse) => {
    const adv = answer.AdvancedEventSelectors ?? [];
    setMode(adv.length > 0 ? 'advanced' : 'basic');
    setAdvanced(JSON.stringify(adv, null, 2));
    setBasic((answer.EventSelectors ?? []).map(draftOf));
  };

  useEffect(() => {
    call<GetEventSelectorsResponse>('GetEventSelectors', { TrailName: trailName })
      .then((answer) => {
        show(answer);
        setLoaded(true);
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, [trailName]);

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    let input: Record<string, unknown>;
    if (mode === 'advanced') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(advanced);
      } catch (e) {
        setError(`The advanced event selectors are not JSON: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      input = { TrailName: trailName, AdvancedEventSelectors: parsed };
    } else {
      input = { TrailName: trailName, EventSelectors: basic.map(selectorOf) };
    }
    setBusy(true);
    try {
      show(await call<GetEventSelectorsResponse>('PutEventSelectors', input));
      setSaved(true);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const update = (id: number, change: Partial<BasicDraft>) => setBasic((list) => list.map((d) => (d.id === id ? { ...d, ...change } : d)));

  return (
    <section class="card" aria-labelledby="selectors-title">
      <h2 id="selectors-title">Event selectors</h2>
      {!loaded && error === undefined && <p class="muted">Loading…</p>}
      <form onSubmit={(e) => void save(e)}>
        <fieldset class="inline">
          <legend>Kind</legend>
          <label class="check">
            <input type="radio" name="selector-mode" checked={mode === 'basic'} onChange={() => setMode('basic')} />
            Basic event selectors
          </label>
          <label class="check">
            <input type="radio" name="selector-mode" checked={mode === 'advanced'} onChange={() => setMode('advanced')} />
            Advanced event selectors (JSON)
          </label>
        </fieldset>
        {mode === 'basic' ? (
          <>
            {basic.length === 0 && <p class="muted">No basic event selectors.</p>}
            {basic.map((d, i) => (
              <fieldset class="selector" key={d.id}>
                <legend>Selector {i + 1}</legend>
                <div class="grid">
                  <div class="field">
                    <label for={`read-write-${d.id}`}>Read/write type</label>
                    <select id={`read-write-${d.id}`} value={d.readWrite} onChange={(e) => update(d.id, { readWrite: e.currentTarget.value as ReadWriteType })}>
                      <option value="All">All</option>
                      <option value="ReadOnly">Read only</option>
                      <option value="WriteOnly">Write only</option>
                    </select>
                  </div>
                  <label class="check">
                    <input type="checkbox" checked={d.management} onChange={(e) => update(d.id, { management: e.currentTarget.checked })} />
                    Include management events
                  </label>
                </div>
                {d.resources.map((r, j) => (
                  <div class="grid resource" key={r.id}>
                    <label>
                      Data resource type {j + 1}
                      <input
                        list="data-resource-types"
                        value={r.type}
                        spellcheck={false}
                        onInput={(e) => update(d.id, { resources: d.resources.map((x) => (x.id === r.id ? { ...x, type: e.currentTarget.value } : x)) })}
                      />
                    </label>
                    <label>
                      Values (one a line, e.g. arn:aws:s3:::bucket/)
                      <textarea
                        rows={2}
                        spellcheck={false}
                        value={r.values}
                        onInput={(e) => update(d.id, { resources: d.resources.map((x) => (x.id === r.id ? { ...x, values: e.currentTarget.value } : x)) })}
                      />
                    </label>
                    <button type="button" class="secondary" onClick={() => update(d.id, { resources: d.resources.filter((x) => x.id !== r.id) })}>
                      Remove data resource
                    </button>
                  </div>
                ))}
                <div class="actions">
                  <button type="button" class="secondary" onClick={() => update(d.id, { resources: [...d.resources, { id: ids++, type: 'AWS::S3::Object', values: '' }] })}>
                    Add data resource
                  </button>
                  <button type="button" class="secondary" onClick={() => setBasic((list) => list.filter((x) => x.id !== d.id))}>
                    Remove selector
                  </button>
                </div>
              </fieldset>
            ))}
            <datalist id="data-resource-types">
              {DATA_TYPES.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
            <button type="button" class="secondary" onClick={() => setBasic((list) => [...list, draftOf({ ReadWriteType: 'All', IncludeManagementEvents: true })])}>
              Add selector
            </button>
          </>
        ) : (
          <label>
            Advanced event selectors
            <textarea class="code" rows={12} spellcheck={false} value={advanced} onInput={(e) => setAdvanced(e.currentTarget.value)} />
          </label>
        )}
        <ErrorMessage error={error} />
        {saved && (
          <p class="ok" role="status">
            Event selectors saved.
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy || !loaded}>
            Save event selectors
          </button>
        </div>
      </form>
    </section>
  );
}
