// A line chart as inline SVG: a rate over time against a flat baseline, with a marked window.
import { formatTime } from '../format';

const W = 800;
const H = 200;
const PAD_LEFT = 44;
const PAD_BOTTOM = 22;

export function LineChart({
  times,
  values,
  baseline,
  mark,
  label,
}: {
  times: number[];
  values: number[];
  baseline: number | undefined;
  mark?: { from: number; to: number };
  label: string;
}) {
  const from = times[0] ?? 0;
  const to = times[times.length - 1] ?? from + 1;
  const span = Math.max(1, to - from);
  const max = Math.max(1, baseline ?? 0, ...values);
  const plotW = W - PAD_LEFT - 4;
  const plotH = H - PAD_BOTTOM - 8;
  const x = (t: number) => PAD_LEFT + ((t - from) / span) * plotW;
  const y = (v: number) => 8 + plotH - (v / max) * plotH;
  const points = times.map((t, i) => `${x(t).toFixed(1)},${y(values[i] ?? 0).toFixed(1)}`).join(' ');
  const peak = Math.max(0, ...values);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: peak ${peak}, baseline ${baseline ?? 'unknown'}`}>
        {mark !== undefined && (
          <rect class="mark" x={x(Math.max(from, mark.from))} y={8} width={Math.max(1, x(Math.min(to, mark.to)) - x(Math.max(from, mark.from)))} height={plotH} />
        )}
        <line x1={PAD_LEFT} y1={8 + plotH} x2={W - 4} y2={8 + plotH} class="axis" />
        <line x1={PAD_LEFT} y1={8} x2={PAD_LEFT} y2={8 + plotH} class="axis" />
        <text x={PAD_LEFT - 6} y={14} class="tick" text-anchor="end">
          {Number(max.toFixed(2))}
        </text>
        <text x={PAD_LEFT - 6} y={8 + plotH} class="tick" text-anchor="end">
          0
        </text>
        {baseline !== undefined && <line class="baseline" x1={PAD_LEFT} x2={W - 4} y1={y(baseline)} y2={y(baseline)} />}
        {times.length > 0 && <polyline class="line" points={points} fill="none" />}
      </svg>
      <figcaption class="chart-caption">
        <span>{formatTime(from)}</span>
        <span>
          <span class="key key-line" /> {label} <span class="key key-baseline" /> baseline {baseline === undefined ? '' : Number(baseline.toFixed(3))}
        </span>
        <span>{formatTime(to)}</span>
      </figcaption>
    </figure>
  );
}
