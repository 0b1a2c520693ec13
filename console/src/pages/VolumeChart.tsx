// The event volume for the applied filter and range: one GetEventVolume call, drawn as bars.
import { useEffect, useState } from 'preact/hooks';
import { call, describeError } from '../api';
import { BarChart } from '../components/BarChart';
import { ErrorMessage } from '../components/ErrorMessage';
import type { EventQuery, EventVolume } from '../types';

export function VolumeChart({ query }: { query: EventQuery & { StartTime: number; EndTime: number } }) {
  const [volume, setVolume] = useState<EventVolume>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setVolume(undefined);
    setError(undefined);
    call<EventVolume>('GetEventVolume', query)
      .then((v) => live && setVolume(v))
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [query]);
  return (
    <section class="volume card" aria-label="Event volume">
      <ErrorMessage error={error} />
      {volume === undefined && error === undefined && <p class="muted">Loading volume…</p>}
      {volume !== undefined && (
        <BarChart
          bars={volume.Buckets.map((b) => ({ start: b.StartTime, count: b.Count }))}
          period={volume.Period}
          from={query.StartTime}
          to={query.EndTime}
          label="Event volume"
        />
      )}
    </section>
  );
}
