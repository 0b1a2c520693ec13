// A bar chart as inline SVG: counts per period across a time range (event volume).
import { formatTime } from '../format';

export interface Bar {
  start: number;
  count: number;
}

const W = 800;
const H = 140;
const PAD_LEFT = 44;
const PAD_BOTTOM = 22;

export function BarChart({ bars, period, from, to, label }: { bars: Bar[]; period: number; from: number; to: number; label: string }) {
  const span = Math.max(1, to - from);
  const max = Math.max(1, ...bars.map((b) => b.count));
  const total = bars.reduce((sum, b) => sum + b.count, 0);
  const plotW = W - PAD_LEFT - 4;
  const plotH = H - PAD_BOTTOM - 8;
  const x = (t: number) => PAD_LEFT + ((t - from) / span) * plotW;
  const barW = Math.max(1, (period / span) * plotW - 1);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label}: ${total} events, up to ${max} per ${period} s`}>
        <line x1={PAD_LEFT} y1={8 + plotH} x2={W - 4} y2={8 + plotH} class="axis" />
        <line x1={PAD_LEFT} y1={8} x2={PAD_LEFT} y2={8 + plotH} class="axis" />
        <text x={PAD_LEFT - 6} y={14} class="tick" text-anchor="end">
          {max}
        </text>
        <text x={PAD_LEFT - 6} y={8 + plotH} class="tick" text-anchor="end">
          0
        </text>
        {bars.map((b) => {
          const h = (b.count / max) * plotH;
          return (
            <rect key={b.start} class="bar" x={x(b.start)} y={8 + plotH - h} width={barW} height={h}>
              <title>{`${formatTime(b.start)}: ${b.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption class="chart-caption">
        <span>{formatTime(from)}</span>
        <span>
          {label}: {total} events
        </span>
        <span>{formatTime(to)}</span>
      </figcaption>
    </figure>
  );
}
