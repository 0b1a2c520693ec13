// The event history's filter form: attribute rows (key and value, ANDed; add and remove) and a
// time range (a preset, or two datetime-local inputs).
import { LOOKUP_KEYS } from '../types';
import type { LookupKey } from '../types';
import type { FilterDraft, PresetId } from './filter';
import { MAX_ATTRIBUTES, PRESETS, newRow } from './filter';

const KEY_LABELS: Record<LookupKey, string> = {
  EventName: 'Event name',
  Username: 'User name',
  EventSource: 'Event source',
  ResourceType: 'Resource type',
  ResourceName: 'Resource name',
  ReadOnly: 'Read only',
  AccessKeyId: 'AWS access key',
  EventId: 'Event ID',
};

export function EventFilters({ draft, onChange, onApply, busy }: { draft: FilterDraft; onChange: (draft: FilterDraft) => void; onApply: () => void; busy: boolean }) {
  const setRow = (id: number, change: Partial<{ key: LookupKey; value: string }>) =>
    onChange({ ...draft, rows: draft.rows.map((r) => (r.id === id ? { ...r, ...change } : r)) });
  const remove = (id: number) => {
    const rows = draft.rows.filter((r) => r.id !== id);
    onChange({ ...draft, rows: rows.length > 0 ? rows : [newRow()] });
  };
  return (
    <form
      class="filters card"
      aria-label="Filter events"
      onSubmit={(e) => {
        e.preventDefault();
        onApply();
      }}
    >
      <fieldset class="attributes">
        <legend>Lookup attributes (all must match)</legend>
        {draft.rows.map((row, i) => (
          <div class="filter-row" key={row.id}>
            <label class="sr-only" for={`attribute-${row.id}`}>
              Attribute {i + 1}
            </label>
            <select id={`attribute-${row.id}`} value={row.key} onChange={(e) => setRow(row.id, { key: e.currentTarget.value as LookupKey })}>
              {LOOKUP_KEYS.map((k) => (
                <option key={k} value={k}>
                  {KEY_LABELS[k]}
                </option>
              ))}
            </select>
            <label class="sr-only" for={`value-${row.id}`}>
              Value {i + 1}
            </label>
            <input id={`value-${row.id}`} class="grow" placeholder="Value" spellcheck={false} value={row.value} onInput={(e) => setRow(row.id, { value: e.currentTarget.value })} />
            <button type="button" class="secondary" aria-label={`Remove attribute ${i + 1}`} onClick={() => remove(row.id)}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" class="secondary" disabled={draft.rows.length >= MAX_ATTRIBUTES} onClick={() => onChange({ ...draft, rows: [...draft.rows, newRow()] })}>
          Add attribute
        </button>
      </fieldset>
      <fieldset class="range">
        <legend>Time range</legend>
        <div class="field">
          <label for="time-range">Range</label>
          <select id="time-range" value={draft.range} onChange={(e) => onChange({ ...draft, range: e.currentTarget.value as PresetId | 'custom' })}>
            {PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value="custom">Absolute range</option>
          </select>
        </div>
        {draft.range === 'custom' && (
          <>
            <label>
              From
              <input type="datetime-local" value={draft.from} onInput={(e) => onChange({ ...draft, from: e.currentTarget.value })} />
            </label>
            <label>
              To
              <input type="datetime-local" value={draft.to} onInput={(e) => onChange({ ...draft, to: e.currentTarget.value })} />
            </label>
          </>
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" disabled={busy}>
          Search
        </button>
      </div>
    </form>
  );
}
