/**
 * The 15 CIS metric filters evaluated together on each of N CloudTrail records (the shared
 * samples when present, else synthetic ones), beside the floor measured in the same run: one
 * JSON.parse of each message, which any JSON pattern needs. With the event prepared once, all
 * 15 patterns should cost little more than that parse; evaluating them on the bare message
 * (a parse per pattern) shows what preparing saves.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CIS_CONTROLS } from '../src/monitoring/cis/cis-pack.js';
import { matchLogEvent, parseFilterPattern, prepareLogEvent, type FilterPattern } from '../src/monitoring/filter-pattern/index.js';
import { syntheticEvents } from './support/synthetic.js';
import { table } from './support/stats.js';

/** The samples beside the project (or OPENTRAIL_SAMPLES_DIR); [] when absent. */
function sampleMessages(): string[] {
  const dirs = [process.env.OPENTRAIL_SAMPLES_DIR, resolve(process.cwd(), '../shared/data/cloudtrail-samples')].filter((d): d is string => d !== undefined);
  const dir = dirs.find((d) => existsSync(d));
  if (dir === undefined) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json.gz'))
    .sort()
    .flatMap((name) => (JSON.parse(gunzipSync(readFileSync(join(dir, name))).toString('utf8')) as { Records: unknown[] }).Records.map((r) => JSON.stringify(r)));
}

function messagesFor(count: number): { messages: string[]; source: string } {
  const samples = sampleMessages();
  if (samples.length > 0) return { messages: Array.from({ length: count }, (_, i) => samples[i % samples.length] ?? ''), source: `${samples.length.toLocaleString('en')} sample records, cycled` };
  return { messages: [...syntheticEvents(count, Date.UTC(2026, 0, 1), 3_600_000)].map((e) => e.json), source: 'synthetic records' };
}

/** The best of `rounds` timings of `work` (fewest interruptions), and what the last round returned. */
function best(rounds: number, work: () => number): { ms: number; result: number } {
  let ms = Infinity;
  let result = 0;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    result = work();
    ms = Math.min(ms, performance.now() - start);
  }
  return { ms, result };
}

function allPatterns(patterns: readonly FilterPattern[], messages: readonly string[], prepare: boolean): number {
  let matches = 0;
  for (const message of messages) {
    const event = prepare ? prepareLogEvent(message) : message;
    for (const pattern of patterns) if (matchLogEvent(pattern, event) !== undefined) matches++;
  }
  return matches;
}

export function filterPatternsBench(options: { events: number; rounds?: number }): string {
  const rounds = options.rounds ?? 3;
  const { messages, source } = messagesFor(options.events);
  const patterns = CIS_CONTROLS.map((c) => parseFilterPattern(c.pattern));
  const floor = best(rounds, () => {
    let objects = 0;
    for (const message of messages) if (typeof JSON.parse(message) === 'object') objects++;
    return objects;
  });
  const rows: [string, { ms: number; result: number }][] = [
    ['baseline: JSON.parse of each message', floor],
    ['15 CIS patterns, event prepared once', best(rounds, () => allPatterns(patterns, messages, true))],
    ['15 CIS patterns, bare message (a parse per pattern)', best(rounds, () => allPatterns(patterns, messages, false))],
  ];
  return (
    `Filter patterns: the 15 CIS metric filters on ${messages.length.toLocaleString('en')} events (${source}), best of ${rounds}\n` +
    table(
      ['work', 'ms', 'events/s', '× baseline', 'matches'],
      rows.map(([name, { ms, result }]) => [name, ms.toFixed(1), Math.round((messages.length / ms) * 1000).toLocaleString('en'), (ms / floor.ms).toFixed(2), name.startsWith('baseline') ? '' : String(result)]),
    )
  );
}
