/**
 * Log file validation: `opentrail validate-logs` beside the stock `aws cloudtrail validate-logs`
 * on the same bucket (an OpenTrail server with 1 s digest periods delivering to moto, about 24
 * periods with log files, then StopLogging), wall time of whole runs (process start included),
 * mean of 3 each; then Merkle proof rates of src/integrity/merkle on 1M leaves, in memory and
 * through the Merkle-ledger port on SQLite (support/store-proofs.ts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FileObjectStore, fileStoreRoot } from '../src/objects/file-object-store.js';
import { CompactTree, inclusionProof, leafHash, rootOf, verifyInclusion } from '../src/integrity/merkle/index.js';
import { buildDigestDataset } from '../test/support/digest-fixture.js';
import type { DigestDataset, RunResult } from '../test/support/digest-fixture.js';
import { storeProofFigures } from './support/store-proofs.js';
import { table } from './support/stats.js';

const RUNS = 3;
const PERIODS = 24;
const LEAVES = 1_000_000;

export interface ValidateBenchOptions {
  dataDir: string;
}

interface Timed {
  meanMs: number;
  ok: boolean;
  summary: string;
}

interface Runner {
  run: () => Promise<RunResult>;
  /** The exit status a correct run has. */
  status: number;
}

/**
 * RUNS rounds, each running every contender once in turn: on a shared machine, load that comes
 * and goes then falls on all of them alike. Mean wall time of each.
 */
async function timeInterleaved<K extends string>(runners: Record<K, Runner>): Promise<Record<K, Timed>> {
  const names = Object.keys(runners) as K[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  const timed = Object.fromEntries(names.map((name) => [name, { meanMs: 0, ok: true, summary: '' }])) as Record<K, Timed>;
  for (let round = 0; round < RUNS; round++) {
    for (const name of names) {
      const start = performance.now();
      const result = await runners[name].run();
      times[name].push(performance.now() - start);
      timed[name].ok &&= result.status === runners[name].status;
      timed[name].summary = [...result.stdout.matchAll(/^\d+\/\d+ (?:digest|log) files valid.*$/gm)].map((m) => m[0]).join(', ');
      if (result.status !== runners[name].status) process.stderr.write(`${name}: exit ${result.status}, expected ${runners[name].status}:\n${result.stdout}${result.stderr}\n`);
    }
  }
  for (const name of names) timed[name].meanMs = times[name].reduce((x, y) => x + y, 0) / RUNS;
  return timed;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Calls `step` for about `budgetMs` (at least once); operations per second. */
function rate(budgetMs: number, step: (i: number) => void): { perSecond: number; count: number } {
  const start = performance.now();
  let count = 0;
  do step(count++);
  while (performance.now() - start < budgetMs);
  return { perSecond: count / ((performance.now() - start) / 1000), count };
}

async function merkleRows(dataDir: string): Promise<string[][]> {
  const all = Buffer.allocUnsafe(LEAVES * 32);
  const counter = Buffer.alloc(8);
  let start = performance.now();
  for (let i = 0; i < LEAVES; i++) {
    counter.writeBigUInt64BE(BigInt(i));
    all.set(leafHash(counter), i * 32);
  }
  const leaves = Array.from({ length: LEAVES }, (_, i) => all.subarray(i * 32, i * 32 + 32));
  const leafMs = performance.now() - start;
  start = performance.now();
  const tree = CompactTree.empty();
  for (const leaf of leaves) tree.append(leaf);
  const appendMs = performance.now() - start;
  const root = rootOf(leaves);
  if (!root.equals(tree.root())) throw new Error('CompactTree and rootOf disagree');
  const indexOf = (i: number) => (i * 7919) % LEAVES;
  const proofs: Buffer[][] = [];
  const generated = rate(3000, (i) => proofs.push(inclusionProof(leaves, indexOf(i), LEAVES)));
  const verified = rate(1000, (i) => {
    const n = i % proofs.length;
    if (!verifyInclusion(leaves[indexOf(n)]!, indexOf(n), LEAVES, proofs[n]!, root)) throw new Error('proof did not verify');
  });
  const perSecond = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
  const store = await storeProofFigures(join(dataDir, 'merkle-ledger'), leaves, 3000);
  return [
    ['leaf hashes (SHA-256 of 0x00 || 8 bytes)', perSecond(LEAVES / (leafMs / 1000)), `${LEAVES.toLocaleString('en-US')} leaves`],
    ['tree rebuild (CompactTree.append)', perSecond(LEAVES / (appendMs / 1000)), `root of 1M leaves in ${seconds(appendMs)}`],
    ['inclusion proofs generated (inclusionProof)', perSecond(generated.perSecond), `${generated.count} proofs, ${proofs[0]!.length} hashes each; each rehashes the tree (no node cache)`],
    ['inclusion proofs verified (verifyInclusion)', perSecond(verified.perSecond), `${verified.count} verifications`],
    ['inclusion proofs from the store, old leaves (first 1 %)', perSecond(store.perSecond.oldLeaves), `${store.proofs} proofs through the ledger port on SQLite (stored tiles), verifyInclusion beside: ${perSecond(store.perSecond.verify)}`],
    ['inclusion proofs from the store, new leaves (last 1 %)', perSecond(store.perSecond.newLeaves), `the tree recorded as ${store.files} files, ${store.nodesPerFile.toFixed(0)} nodes written per file`],
  ];
}

export async function validateBench(options: ValidateBenchOptions): Promise<string> {
  let data: DigestDataset | undefined;
  let validation: string;
  try {
    data = await buildDigestDataset({ dataDir: options.dataDir, digestIntervalSeconds: 1, activitySeconds: PERIODS, parallelCalls: 4, bucket: 'bench-validate' });
    const start = ['--start-time', data.startTime.toISOString()];
    await data.snapshot(); // to count the files
    const digests = data.digestKeys().length;
    const logs = data.logKeys().length;
    // The same objects (bytes and metadata) in a local file: store: the engine where the store is
    // not the bottleneck (moto answers about one request at a time, some 5 ms each).
    const copyDir = join(options.dataDir, 'file-copy');
    const copy = new FileObjectStore({ root: fileStoreRoot(copyDir) });
    await copy.createBucket(data.bucket);
    for (const [key, object] of data.objects) await copy.putObject({ bucket: data.bucket, key, body: object.body, metadata: object.metadata });
    // Process start and argument checks only: a trail ARN both refuse before any request.
    const refused = ['--trail-arn', 'not-an-arn', ...start];
    const dataset = data;
    const ours = { run: async () => dataset.ours(start, 120_000), status: 0 };
    const oursStart = { run: async () => dataset.ours(refused, 60_000), status: 1 };
    const local = { run: async () => dataset.ours([...start, '--object-store', 'file:', '--data-dir', copyDir], 120_000), status: 0 };
    const hasAws = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
    const t = hasAws
      ? await timeInterleaved({ ours, local, oursStart, stock: { run: async () => dataset.stock(start, 120_000), status: 0 }, stockStart: { run: async () => dataset.stock(refused, 60_000), status: 255 } })
      : { ...(await timeInterleaved({ ours, local, oursStart })), stock: undefined, stockStart: undefined };
    const work = (total: Timed, startup: Timed) => total.meanMs - startup.meanMs;
    const row = (name: string, total: Timed, startup: Timed) => [name, seconds(total.meanMs), seconds(startup.meanMs), seconds(work(total, startup)), total.ok ? 'valid' : 'FAILED', total.summary];
    const speedUp = (name: string, total: Timed) =>
      t.stock === undefined || t.stockStart === undefined
        ? [name, 'n/a', '', 'n/a', 'aws CLI not installed', '']
        : [name, `${(t.stock.meanMs / total.meanMs).toFixed(1)}x`, '', `${(work(t.stock, t.stockStart) / work(total, t.oursStart)).toFixed(1)}x`, '', ''];
    const rows = [
      row('opentrail validate-logs', t.ours, t.oursStart),
      t.stock === undefined || t.stockStart === undefined ? ['aws cloudtrail validate-logs', 'n/a', 'n/a', 'n/a', 'aws CLI not installed', ''] : row('aws cloudtrail validate-logs', t.stock, t.stockStart),
      speedUp('speed-up, both on moto (goal 20x)', t.ours),
      row('opentrail validate-logs, file: copy', t.local, t.oursStart),
      speedUp('speed-up, ours on the file: copy', t.local),
    ];
    validation =
      `validate-logs: ${digests} digest files, ${logs} log files in moto (1 s digest periods); wall time of whole runs, mean of ${RUNS} (interleaved);\n` +
      'process start = a run refused for its trail ARN before any request; work = wall time - process start\n' +
      table(['validator', 'wall time', 'process start', 'work', 'result', 'counts'], rows);
  } finally {
    await data?.stop();
  }
  return `${validation}\n\nMerkle proofs on ${LEAVES.toLocaleString('en-US')} leaves (src/integrity/merkle)\n${table(['operation', 'rate', 'notes'], await merkleRows(options.dataDir))}`;
}
