// Integrity (#/integrity): each trail's digest chains (ListDigestChains), and a validation run of
// its log files and digests over a time range, with progress (the validate stream).
import { useEffect, useState } from 'preact/hooks';
import { call, describeError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../format';
import type { DigestChain, Trail } from '../types';
import { describeTrails } from './trails-api';
import { Validate } from './Validate';

export function Integrity({ region }: { region: string }) {
  const [trails, setTrails] = useState<Trail[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    describeTrails()
      .then(setTrails)
      .catch((e: unknown) => {
        setError(describeError(e));
        setTrails([]);
      });
  }, []);
  return (
    <>
      <div class="page-head">
        <h1>Integrity</h1>
      </div>
      <ErrorMessage error={error} />
      {trails === undefined && <p class="muted">Loading…</p>}
      {trails !== undefined && trails.length === 0 && error === undefined && <p class="muted">No trails.</p>}
      {trails?.map((trail) => <TrailIntegrity key={trail.TrailARN} trail={trail} region={region} />)}
    </>
  );
}

function TrailIntegrity({ trail, region }: { trail: Trail; region: string }) {
  const [chains, setChains] = useState<DigestChain[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    call<{ DigestChains?: DigestChain[] }>('ListDigestChains', { TrailARN: trail.TrailARN })
      .then((answer) => setChains(answer.DigestChains ?? []))
      .catch((e: unknown) => setError(describeError(e)));
  }, [trail.TrailARN]);
  return (
    <section class="card" aria-label={`Integrity of ${trail.Name ?? ''}`} data-trail={trail.Name}>
      <h2 class="wrap">{trail.Name}</h2>
      <p class="muted wrap">
        Log file validation {trail.LogFileValidationEnabled === true ? 'enabled' : 'disabled'} · {trail.TrailARN}
      </p>
      <ErrorMessage error={error} />
      {chains !== undefined && chains.length === 0 && <p class="muted">No digest chains yet.</p>}
      {chains !== undefined && chains.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Region</th>
                <th scope="col">Active</th>
                <th scope="col">Digests</th>
                <th scope="col">Latest digest time</th>
                <th scope="col">Latest digest key</th>
                <th scope="col">Tree size</th>
              </tr>
            </thead>
            <tbody>
              {chains.map((c) => (
                <tr key={`${c.AccountId}/${c.Region}`}>
                  <td>{c.AccountId}</td>
                  <td>{c.Region}</td>
                  <td>{c.Active ? 'Yes' : 'No'}</td>
                  <td class="num">{c.DigestCount}</td>
                  <td class="nowrap">{formatTime(c.LatestDigestEndTime)}</td>
                  <td class="wrap mono">{c.LatestDigestKey !== undefined ? `${c.LatestDigestS3Bucket !== undefined ? `s3://${c.LatestDigestS3Bucket}/` : ''}${c.LatestDigestKey}` : ''}</td>
                  <td class="num">{c.TreeSize}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {/* Only a trail that writes (or wrote) digests can be validated. */}
      {trail.TrailARN !== undefined && (trail.LogFileValidationEnabled === true || (chains?.length ?? 0) > 0) && <Validate trailArn={trail.TrailARN} region={region} />}
    </section>
  );
}
