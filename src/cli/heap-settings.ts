/**
 * How the server's JavaScript heaps grow: V8's default lets an old generation grow to about
 * twice what is live before a full collection, which under ingest (a few tens of MB live, most
 * of the rest garbage promoted from requests in flight) made the server's RSS ~350 MB at
 * 64 clients for ~35 MB live (bench/ingest.bench.ts; docs/benchmarks.md). Growing by a quarter
 * instead bounds it near the live size, for a few percent more time in the collector.
 *
 * Set before the stores start their worker threads, whose heaps take the flag when created;
 * the main thread's heap follows it at its next collection. The young generation of the main
 * thread can only be sized at start-up (SERVER_NODE_FLAGS: bin/opentrail.js and `npm start`
 * pass it).
 */
import v8 from 'node:v8';

const HEAP_GROWING_PERCENT = 25;

/** Node flags the server is started with: a young generation of 2 × 4 MB semi-spaces instead of 2 × 16 MB. */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'] as const;

export function tuneHeapForServer(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
