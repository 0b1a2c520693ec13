// One trail (#/trails/<name>): its settings and status, start/stop logging, edit, delete (with a
// confirmation), and its event and insight selectors.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { call, describeError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { Panel } from '../components/Panel';
import { formatTime } from '../format';
import type { Trail, TrailStatus } from '../types';
import { EventSelectorsEditor } from './EventSelectorsEditor';
import { InsightSelectorsEditor } from './InsightSelectorsEditor';
import { TrailForm } from './TrailForm';
import { LoggingBadge } from './Trails';
import { describeTrails, trailStatus } from './trails-api';

export function TrailDetail({ name }: { name: string }) {
  const [trail, setTrail] = useState<Trail>();
  const [status, setStatus] = useState<TrailStatus>();
  const [loadError, setLoadError] = useState<string>();
  const [actionError, setActionError] = useState<string>();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      // A trail of another home region (a multi-region trail's shadow) is found in the whole list.
      const found = (await describeTrails([name]).catch(() => []))[0] ?? (await describeTrails()).find((t) => t.Name === name || t.TrailARN === name);
      if (found === undefined) {
        setLoadError(`No trail named ${name}`);
        return;
      }
      setTrail(found);
      setStatus(await trailStatus(found));
    } catch (e) {
      setLoadError(describeError(e));
    }
  }, [name]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (op: 'StartLogging' | 'StopLogging' | 'DeleteTrail') => {
    if (trail === undefined) return;
    setBusy(true);
    setActionError(undefined);
    try {
      await call(op, { Name: trail.TrailARN ?? trail.Name });
      if (op === 'DeleteTrail') {
        location.hash = '#/trails';
        return;
      }
      setStatus(await trailStatus(trail));
    } catch (e) {
      setActionError(describeError(e));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  const closeConfirm = useCallback(() => setConfirming(false), []);

  if (loadError !== undefined) {
    return (
      <>
        <p>
          <a href="#/trails">← Trails</a>
        </p>
        <ErrorMessage error={loadError} />
      </>
    );
  }
  if (trail === undefined) return <p class="muted">Loading…</p>;
  const logging = status?.IsLogging === true;

  return (
    <>
      <p class="crumb">
        <a href="#/trails">← Trails</a>
      </p>
      <div class="page-head">
        <h1 class="wrap">{trail.Name}</h1>
        <div class="actions">
          <LoggingBadge on={logging} />
          {logging ? (
            <button type="button" disabled={busy} onClick={() => void act('StopLogging')}>
              Stop logging
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={() => void act('StartLogging')}>
              Start logging
            </button>
          )}
          {!editing && (
            <button type="button" class="secondary" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          <button type="button" class="danger" disabled={busy} onClick={() => setConfirming(true)}>
            Delete
          </button>
        </div>
      </div>
      <ErrorMessage error={actionError} />
      {editing ? (
        <section class="card" aria-label="Edit trail">
          <h2>Edit trail</h2>
          <TrailForm
            trail={trail}
            onSaved={(saved) => {
              setTrail({ ...trail, ...saved });
              setEditing(false);
            }}
            onCancel={() => setEditing(false)}
          />
        </section>
      ) : (
        <section class="card" aria-label="Trail settings">
          <dl class="facts">
            <dt>ARN</dt>
            <dd>{trail.TrailARN}</dd>
            <dt>Home region</dt>
            <dd>{trail.HomeRegion}</dd>
            <dt>Multi-region</dt>
            <dd>{trail.IsMultiRegionTrail === true ? 'Yes' : 'No'}</dd>
            <dt>S3 bucket</dt>
            <dd>{trail.S3BucketName}</dd>
            <dt>S3 key prefix</dt>
            <dd>{trail.S3KeyPrefix ?? '—'}</dd>
            <dt>Log file validation</dt>
            <dd>{trail.LogFileValidationEnabled === true ? 'Enabled' : 'Disabled'}</dd>
            <dt>SNS topic</dt>
            <dd>{trail.SnsTopicARN ?? trail.SnsTopicName ?? '—'}</dd>
            <dt>CloudWatch Logs group</dt>
            <dd>{trail.CloudWatchLogsLogGroupArn ?? '—'}</dd>
            <dt>CloudWatch Logs role</dt>
            <dd>{trail.CloudWatchLogsRoleArn ?? '—'}</dd>
            <dt>Last delivery</dt>
            <dd>{formatTime(status?.LatestDeliveryTime) || '—'}</dd>
            <dt>Last delivery error</dt>
            <dd>{status?.LatestDeliveryError ?? '—'}</dd>
            <dt>Last digest delivery</dt>
            <dd>{formatTime(status?.LatestDigestDeliveryTime) || '—'}</dd>
          </dl>
        </section>
      )}
      <EventSelectorsEditor trailName={trail.TrailARN ?? name} />
      <InsightSelectorsEditor trailName={trail.TrailARN ?? name} />
      {confirming && (
        <Panel title="Delete trail" onClose={closeConfirm}>
          <p>
            Delete the trail <strong class="wrap">{trail.Name}</strong>? It stops delivering; the log files already in its bucket stay.
          </p>
          <div class="actions">
            <button type="button" class="danger" disabled={busy} onClick={() => void act('DeleteTrail')}>
              Delete trail
            </button>
            <button type="button" class="secondary" onClick={closeConfirm}>
              Cancel
            </button>
          </div>
        </Panel>
      )}
    </>
  );
}
