// The event history table, like CloudTrail's: one focusable row per event; a click or Enter opens it.
import { formatTime, parseRecord, stringField } from '../format';
import type { CloudTrailEventSummary } from '../types';

export interface Row {
  event: CloudTrailEventSummary;
  /** Arrived by the live tail since it was opened. */
  isNew?: boolean;
}

function resources(event: CloudTrailEventSummary, field: 'ResourceType' | 'ResourceName'): string {
  return (event.Resources ?? [])
    .map((r) => r[field] ?? '')
    .filter((v) => v !== '')
    .join(', ');
}

export function EventTable({ rows, onOpen }: { rows: Row[]; onOpen: (event: CloudTrailEventSummary) => void }) {
  return (
    <div class="table-wrap">
      <table class="events">
        <thead>
          <tr>
            <th scope="col">Event time</th>
            <th scope="col">Event name</th>
            <th scope="col">User name</th>
            <th scope="col">Event source</th>
            <th scope="col">Resource type</th>
            <th scope="col">Resource name</th>
            <th scope="col">Error code</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ event, isNew }) => {
            const record = parseRecord(event.CloudTrailEvent);
            const error = stringField(record, 'errorCode');
            return (
              <tr
                key={event.EventId}
                class={isNew === true ? 'row new' : 'row'}
                tabIndex={0}
                data-event-id={event.EventId}
                aria-label={`${event.EventName ?? ''} by ${event.Username ?? 'unknown'} at ${formatTime(event.EventTime)}${isNew === true ? ', new' : ''}`}
                onClick={() => onOpen(event)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    onOpen(event);
                  }
                }}
              >
                <td class="nowrap">
                  {isNew === true && <span class="badge">New</span>} {formatTime(event.EventTime)}
                </td>
                <td>{event.EventName}</td>
                <td class="wrap">{event.Username}</td>
                <td>{event.EventSource}</td>
                <td>{resources(event, 'ResourceType')}</td>
                <td class="wrap">{resources(event, 'ResourceName')}</td>
                <td class={error !== '' ? 'error-code' : ''}>{error}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
