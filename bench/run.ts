/**
 * `npm run bench`: every benchmark, each printed as a table beside its baseline measured in the
 * same run. Sizes can be lowered for a quick look (BENCH_LOOKUP_EVENTS, BENCH_QUERIES).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupBench } from './lookup.bench.js';

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const root = mkdtempSync(join(tmpdir(), 'opentrail-bench-'));
try {
  process.stdout.write(
    (await lookupBench({
      dataDir: join(root, 'lookup'),
      events: envInt('BENCH_LOOKUP_EVENTS', 1_000_000),
      queries: envInt('BENCH_QUERIES', 500),
    })) + '\n',
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
