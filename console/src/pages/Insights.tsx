// Insights (#/insights): the Insights events (LookupEvents, EventCategory insight), and for the one
// selected its API's rate per minute (ListInsightsMetricData) against its baseline average.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, describeError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { LineChart } from '../components/LineChart';
import { formatTime, nowSeconds } from '../format';
import type { InsightsMetricData, LookupEventsResponse } from '../types';
import type { InsightSummary } from './insights-record';
import { insightOf } from './insights-record';

function round(n: number | undefined): string {
  return n === undefined ? '' : String(Number(n.toFixed(3)));
}

export function Insights() {
  const [insights, setInsights] = useState<InsightSummary[]>([]);
  const [nextToken, setNextToken] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<InsightSummary>();

  const load = useCallback(async (token?: string) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await call<LookupEventsResponse>('LookupEvents', { EventCategory: 'insight', MaxResults: 50, ...(token !== undefined ? { NextToken: token } : {}) });
      const found = (page.Events ?? []).map(insightOf);
      setInsights((old) => (token === undefined ? found : [...old, ...found]));
      setNextToken(page.NextToken);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <div class="page-head">
        <h1>Insights</h1>
      </div>
      <ErrorMessage error={error} />
      <section class="card flush" aria-label="Insights events">
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Event time</th>
                <th scope="col">State</th>
                <th scope="col">Event source</th>
                <th scope="col">Event name</th>
                <th scope="col">Insight type</th>
                <th scope="col">Baseline average</th>
                <th scope="col">Insight average</th>
              </tr>
            </thead>
            <tbody>
              {insights.map((i) => (
                <tr
                  key={i.eventId}
                  class={selected?.eventId === i.eventId ? 'row selected' : 'row'}
                  tabIndex={0}
                  aria-selected={selected?.eventId === i.eventId}
                  onClick={() => setSelected(i)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setSelected(i);
                    }
                  }}
                >
                  <td class="nowrap">{formatTime(i.time)}</td>
                  <td>{i.state}</td>
                  <td>{i.eventSource}</td>
                  <td>{i.eventName}</td>
                  <td>
                    {i.insightType}
                    {i.errorCode !== undefined ? ` (${i.errorCode})` : ''}
                  </td>
                  <td class="num">{round(i.baseline)}</td>
                  <td class="num">{round(i.insight)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {!loading && insights.length === 0 && error === undefined && <p class="muted pad">No Insights events. A trail with insight selectors records them when an API's rate departs from its baseline.</p>}
        {(loading || nextToken !== undefined) && (
        <div class="pager">
          {loading && <span class="muted">Loading…</span>}
          {nextToken !== undefined && !loading && (
            <button type="button" class="secondary" onClick={() => void load(nextToken)}>
              Load more
            </button>
          )}
        </div>
        )}
      </section>
      {selected !== undefined && <RateChart insight={selected} all={insights} />}
    </>
  );
}

/** The insight's API rate per minute from an hour before it began to an hour after it ended. */
function RateChart({ insight, all }: { insight: InsightSummary; all: InsightSummary[] }) {
  const [data, setData] = useState<{ times: number[]; values: number[] }>();
  const [error, setError] = useState<string>();
  const pair = all.filter((i) => i.sharedEventId !== '' && i.sharedEventId === insight.sharedEventId);
  const begin = Math.min(insight.time, ...pair.filter((i) => i.state === 'Start').map((i) => i.time));
  const endRecord = pair.find((i) => i.state === 'End');
  const end = endRecord?.time ?? (insight.state === 'End' ? insight.time : undefined);
  const baseline = insight.baseline ?? pair.find((i) => i.baseline !== undefined)?.baseline;
  const from = Math.floor((begin - 3600) / 60) * 60;
  const to = Math.min(nowSeconds(), Math.ceil(((end ?? begin) + 3600) / 60) * 60);

  useEffect(() => {
    let live = true;
    setData(undefined);
    setError(undefined);
    const input = {
      EventSource: insight.eventSource,
      EventName: insight.eventName,
      InsightType: insight.insightType,
      ...(insight.insightType === 'ApiErrorRateInsight' && insight.errorCode !== undefined ? { ErrorCode: insight.errorCode } : {}),
      StartTime: from,
      EndTime: Math.max(to, from + 60),
      Period: 60,
      DataType: 'FillWithZeros',
      MaxResults: 1000,
    };
    (async () => {
      const times: number[] = [];
      const values: number[] = [];
      let token: string | undefined;
      do {
        const page: InsightsMetricData = await call<InsightsMetricData>('ListInsightsMetricData', { ...input, ...(token !== undefined ? { NextToken: token } : {}) });
        times.push(...(page.Timestamps ?? []));
        values.push(...(page.Values ?? []));
        token = page.NextToken;
      } while (token !== undefined && live);
      if (live) setData({ times, values });
    })().catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [insight.eventId, from, to]);

  return (
    <section class="card" aria-label="Insight rate">
      <h2>
        {insight.eventName} ({insight.eventSource}) — {insight.insightType === 'ApiErrorRateInsight' ? 'errors' : 'calls'} per minute
      </h2>
      <ErrorMessage error={error} />
      {data === undefined && error === undefined && <p class="muted">Loading…</p>}
      {data !== undefined && (
        <LineChart
          times={data.times}
          values={data.values}
          baseline={baseline}
          mark={{ from: begin, to: end ?? to }}
          label={insight.insightType === 'ApiErrorRateInsight' ? 'Errors per minute' : 'Calls per minute'}
        />
      )}
    </section>
  );
}
