// Trails (#/trails): every trail with its status, and the create form.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { describeError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../format';
import { trailHref } from '../route';
import type { Trail, TrailStatus } from '../types';
import { TrailForm } from './TrailForm';
import { describeTrails, trailStatus } from './trails-api';

interface Listed {
  trail: Trail;
  status?: TrailStatus;
  statusError?: string;
}

export function Trails() {
  const [trails, setTrails] = useState<Listed[]>();
  const [error, setError] = useState<string>();
  const [creating, setCreating] = useState(false);

  const load = useCallback(async () => {
    setError(undefined);
    try {
      const list = await describeTrails();
      const listed = await Promise.all(
        list.map(async (trail): Promise<Listed> => {
          try {
            return { trail, status: await trailStatus(trail) };
          } catch (e) {
            return { trail, statusError: describeError(e) };
          }
        }),
      );
      setTrails(listed);
    } catch (e) {
      setError(describeError(e));
      setTrails([]);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <div class="page-head">
        <h1>Trails</h1>
        <div class="actions">
          {!creating && (
            <button type="button" onClick={() => setCreating(true)}>
              Create trail
            </button>
          )}
        </div>
      </div>
      {creating && (
        <section class="card" aria-label="Create trail">
          <h2>Create trail</h2>
          <TrailForm
            onSaved={(trail) => {
              setCreating(false);
              location.hash = trailHref(trail.Name ?? '');
            }}
            onCancel={() => setCreating(false)}
          />
        </section>
      )}
      <ErrorMessage error={error} />
      <section class="card flush" aria-label="Trail list">
        {trails === undefined && <p class="muted pad">Loading…</p>}
        {trails !== undefined && trails.length === 0 && error === undefined && <p class="muted pad">No trails yet.</p>}
        {trails !== undefined && trails.length > 0 && (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Home region</th>
                  <th scope="col">Multi-region</th>
                  <th scope="col">S3 bucket / prefix</th>
                  <th scope="col">Logging</th>
                  <th scope="col">Last delivery</th>
                  <th scope="col">Last delivery error</th>
                </tr>
              </thead>
              <tbody>
                {trails.map(({ trail, status, statusError }) => (
                  <tr key={trail.TrailARN ?? trail.Name} data-trail={trail.Name}>
                    <td class="wrap">
                      <a href={trailHref(trail.Name ?? '')}>{trail.Name}</a>
                    </td>
                    <td>{trail.HomeRegion}</td>
                    <td>{trail.IsMultiRegionTrail === true ? 'Yes' : 'No'}</td>
                    <td class="wrap">
                      {trail.S3BucketName}
                      {trail.S3KeyPrefix !== undefined && trail.S3KeyPrefix !== '' ? `/${trail.S3KeyPrefix}` : ''}
                    </td>
                    <td>{statusError !== undefined ? <span class="error-code">{statusError}</span> : <LoggingBadge on={status?.IsLogging === true} />}</td>
                    <td class="nowrap">{formatTime(status?.LatestDeliveryTime)}</td>
                    <td class="wrap">{status?.LatestDeliveryError ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function LoggingBadge({ on }: { on: boolean }) {
  return <span class={on ? 'status on' : 'status off'}>{on ? 'Logging on' : 'Logging off'}</span>;
}
