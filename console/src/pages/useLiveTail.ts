// The live tail: an EventSource on /console/api/events/tail for the filter's attributes, handing
// over each batch of new events as it comes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { streamUrl } from '../api';
import type { CloudTrailEventSummary, EventQuery } from '../types';

export type TailState = 'off' | 'connecting' | 'open' | 'reconnecting' | 'ended';

export function useLiveTail(enabled: boolean, query: EventQuery, onEvents: (events: CloudTrailEventSummary[]) => void): TailState {
  const [state, setState] = useState<TailState>('off');
  const handler = useRef(onEvents);
  handler.current = onEvents;
  useEffect(() => {
    if (!enabled) {
      setState('off');
      return;
    }
    // Time bounds are ignored by the tail: only the attributes go.
    const tailQuery = query.LookupAttributes !== undefined ? { LookupAttributes: query.LookupAttributes } : {};
    const source = new EventSource(streamUrl('/console/api/events/tail', { query: JSON.stringify(tailQuery) }));
    setState('connecting');
    source.onopen = () => setState('open');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'ended' : 'reconnecting');
    source.addEventListener('events', (message: MessageEvent<string>) => {
      try {
        const events = JSON.parse(message.data) as CloudTrailEventSummary[];
        if (Array.isArray(events) && events.length > 0) handler.current(events);
      } catch {
        // A batch that is not JSON is skipped.
      }
    });
    source.addEventListener('end', () => {
      source.close();
      setState('ended');
    });
    return () => source.close();
  }, [enabled, query]);
  return state;
}
