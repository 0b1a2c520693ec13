// One event's full record, as formatted JSON, in a side panel (Escape closes it).
import { Panel } from '../components/Panel';
import { parseRecord } from '../format';
import type { CloudTrailEventSummary } from '../types';

export function RecordPanel({ event, onClose }: { event: CloudTrailEventSummary; onClose: () => void }) {
  const record = parseRecord(event.CloudTrailEvent);
  const text = record === undefined ? (event.CloudTrailEvent ?? '') : JSON.stringify(record, null, 2);
  return (
    <Panel title={`${event.EventName ?? 'Event'} record`} onClose={onClose} wide>
      <dl class="facts">
        <dt>Event ID</dt>
        <dd>{event.EventId}</dd>
        <dt>User name</dt>
        <dd>{event.Username}</dd>
      </dl>
      <pre class="json" tabIndex={0} aria-label="Event record JSON">
        {text}
      </pre>
    </Panel>
  );
}
