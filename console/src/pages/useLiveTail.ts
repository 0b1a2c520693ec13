// The live tail: an EventSource on /console/api/events/tail for the filter's attributes, handing
// over each batch of new events as it comes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { streamUrl } from '../api';
import type { CloudTrailEventSummary, EventQuery } from '../types';

export type TailState = 'off' | 'connecting' | 'open' | 'reconnecting' | 'ended';

/** Handed the new events of each batch, and how many the server skipped when too many came at once. */
export interface TailHandlers {
  onEvents: (events: CloudTrailEventSummary[]) => void;
  onSkipped: (positions: number) => void;
}

export function useLiveTail(enabled: boolean, query: EventQuery, handlers: TailHandlers): TailState {
  const [state, setState] = useState<TailState>('off');
  const handler = useRef(handlers);
  handler.current = handlers;
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
        if (Array.isArray(events) && events.length > 0) handler.current.onEvents(events);
      } catch {
        // A batch that is not JSON is skipped.
      }
    });
    // More events came at once than a browser can show: the server jumped ahead and says how far.
    source.addEventListener('skipped', (message: MessageEvent<string>) => {
      try {
        const { positions } = JSON.parse(message.data) as { positions?: number };
        handler.current.onSkipped(typeof positions === 'number' ? positions : 0);
      } catch {
        handler.current.onSkipped(0);
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
