// Event history (#/events): the filter, the volume chart, the table paged 50 at a time, a record
// panel, downloads of everything the filter matches, and the live tail.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { call, checkSession, describeError, streamUrl } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import type { CloudTrailEventSummary, LookupEventsResponse } from '../types';
import { EventFilters } from './EventFilters';
import type { Row } from './EventTable';
import { EventTable } from './EventTable';
import { initialDraft, queryOf } from './filter';
import { RecordPanel } from './RecordPanel';
import { useLiveTail } from './useLiveTail';
import { VolumeChart } from './VolumeChart';

const PAGE_SIZE = 50;

const TAIL_LABELS = { off: '', connecting: 'Connecting…', open: 'Watching for new events', reconnecting: 'Reconnecting…', ended: 'The live tail ended' };

export function Events() {
  const [draft, setDraft] = useState(initialDraft);
  const [query, setQuery] = useState(() => queryOf(draft));
  const [rows, setRows] = useState<Row[]>([]);
  const [nextToken, setNextToken] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<CloudTrailEventSummary>();
  const [tail, setTail] = useState(false);
  // Answers for an earlier query (the filter changed while a page was on its way) are dropped.
  const generation = useRef(0);

  const load = useCallback(
    async (token: string | undefined) => {
      if (token === undefined) generation.current++;
      const mine = generation.current;
      setLoading(true);
      setError(undefined);
      try {
        const page = await call<LookupEventsResponse>('LookupEvents', { ...query, MaxResults: PAGE_SIZE, ...(token !== undefined ? { NextToken: token } : {}) });
        if (mine !== generation.current) return;
        const events = (page.Events ?? []).map((event) => ({ event }));
        setRows((old) => (token === undefined ? events : [...old, ...events]));
        setNextToken(page.NextToken);
      } catch (e) {
        if (mine !== generation.current) return;
        setError(describeError(e));
        if (token === undefined) setRows([]);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [query],
  );

  useEffect(() => {
    void load(undefined);
  }, [load]);

  const [skipped, setSkipped] = useState(0);
  const tailState = useLiveTail(tail, query, {
    onEvents: (events) =>
      setRows((old) => {
        const seen = new Set(old.map((r) => r.event.EventId));
        const fresh = events.filter((e) => !seen.has(e.EventId)).map((event) => ({ event, isNew: true }));
        // A batch comes newest first.
        return [...fresh, ...old];
      }),
    onSkipped: (positions) => setSkipped((n) => n + Math.max(1, positions)),
  });

  // A tail that ended (or was refused) may mean the session did: then the sign-in page shows.
  useEffect(() => {
    if (tailState === 'ended') void checkSession().catch(() => undefined);
  }, [tailState]);

  const closePanel = useCallback(() => setOpen(undefined), []);
  const download = (format: 'csv' | 'json') => {
    const { LookupAttributes, StartTime, EndTime } = query;
    return streamUrl('/console/api/events/download', { format, query: JSON.stringify({ ...(LookupAttributes ? { LookupAttributes } : {}), StartTime, EndTime }) });
  };

  return (
    <>
      <div class="page-head">
        <h1>Event history</h1>
        <div class="actions">
          <a class="button secondary" href={download('csv')} download="events.csv">
            Download CSV
          </a>
          <a class="button secondary" href={download('json')} download="events.json">
            Download JSON
          </a>
          <label class="toggle">
            <input type="checkbox" checked={tail} onChange={(e) => setTail(e.currentTarget.checked)} />
            Live tail
          </label>
          <span class="muted" role="status">
            {TAIL_LABELS[tailState]}
          </span>
        </div>
      </div>
      <EventFilters draft={draft} onChange={setDraft} onApply={() => setQuery(queryOf(draft))} busy={loading} />
      <VolumeChart query={query} />
      <ErrorMessage error={error} />
      {skipped > 0 && tail && (
        <p class="note" role="status">
          The live tail skipped {skipped} events that came too fast to show; Download has them all.
        </p>
      )}
      <section aria-label="Events" class="card flush">
        <EventTable rows={rows} onOpen={setOpen} />
        {!loading && rows.length === 0 && error === undefined && <p class="muted pad">No events match.</p>}
        <div class="pager">
          <span class="muted">
            {rows.length} event{rows.length === 1 ? '' : 's'} shown
          </span>
          {loading && <span class="muted">Loading…</span>}
          {nextToken !== undefined && !loading && (
            <button type="button" class="secondary" onClick={() => void load(nextToken)}>
              Load more
            </button>
          )}
        </div>
      </section>
      {open !== undefined && <RecordPanel event={open} onClose={closePanel} />}
    </>
  );
}
