/**
 * Log file validation: `opentrail validate-logs` beside the stock `aws cloudtrail validate-logs`
 * on the same bucket (an OpenTrail server with 1 s digest periods delivering to moto, about 24
 * periods with log files, then StopLogging), wall time of whole runs (process start included),
 * mean of 3 each; then Merkle proof rates of src/integrity/merkle on 1M leaves.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FileObjectStore, fileStoreRoot } from '../src/objects/file-object-store.js';
import { CompactTree, inclusionProof, leafHash, rootOf, verifyInclusion } from '../src/integrity/merkle/index.js';
import { buildDigestDataset } from '../test/support/digest-fixture.js';
import type { DigestDataset, RunResult } from '../test/support/digest-fixture.js';
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

/** Mean wall time of RUNS runs, each expected to exit with `expectStatus`. */
async function timeRuns(run: () => Promise<RunResult>, expectStatus = 0): Promise<Timed> {
  const times: number[] = [];
  let ok = true;
  let summary = '';
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const result = await run();
    times.push(performance.now() - start);
    ok &&= result.status === expectStatus;
    summary = [...result.stdout.matchAll(/^\d+\/\d+ (?:digest|log) files valid.*$/gm)].map((m) => m[0]).join(', ');
    if (result.status !== expectStatus) process.stderr.write(`validate-logs exited ${result.status}:\n${result.stdout}${result.stderr}\n`);
  }
  return { meanMs: times.reduce((a, b) => a + b, 0) / times.length, ok, summary };
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

function merkleRows(): string[][] {
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
  return [
    ['leaf hashes (SHA-256 of 0x00 || 8 bytes)', perSecond(LEAVES / (leafMs / 1000)), `${LEAVES.toLocaleString('en-US')} leaves`],
    ['tree rebuild (CompactTree.append)', perSecond(LEAVES / (appendMs / 1000)), `root of 1M leaves in ${seconds(appendMs)}`],
    ['inclusion proofs generated (inclusionProof)', perSecond(generated.perSecond), `${generated.count} proofs, ${proofs[0]!.length} hashes each; each rehashes the tree (no node cache)`],
    ['inclusion proofs verified (verifyInclusion)', perSecond(verified.perSecond), `${verified.count} verifications`],
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
    const ours = await timeRuns(() => data!.ours(start, 120_000));
    const hasAws = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
    const stock = hasAws ? await timeRuns(() => data!.stock(start, 120_000)) : undefined;
    // Process start and argument checks only: an ARN both refuse before any request.
    const refused = ['--trail-arn', 'not-an-arn', ...start];
    const oursStart = await timeRuns(() => data!.ours(refused), 1);
    const stockStart = hasAws ? await timeRuns(() => data!.stock(refused), 255) : undefined;
    // The same objects (bytes and metadata) in a local file: store: what the engine does when the
    // store is not the bottleneck (moto answers one request at a time, about 5 ms each).
    const copyDir = join(options.dataDir, 'file-copy');
    const copy = new FileObjectStore({ root: fileStoreRoot(copyDir) });
    await copy.createBucket(data.bucket);
    for (const [key, object] of data.objects) await copy.putObject({ bucket: data.bucket, key, body: object.body, metadata: object.metadata });
    const local = await timeRuns(() => data!.ours([...start, '--object-store', 'file:', '--data-dir', copyDir], 120_000));
    const work = (total: Timed, startup: Timed) => total.meanMs - startup.meanMs;
    const rows = [
      ['opentrail validate-logs', seconds(ours.meanMs), seconds(oursStart.meanMs), seconds(work(ours, oursStart)), ours.ok ? 'valid' : 'FAILED', ours.summary],
      stock === undefined || stockStart === undefined
        ? ['aws cloudtrail validate-logs', 'n/a', 'n/a', 'n/a', 'aws CLI not installed', '']
        : ['aws cloudtrail validate-logs', seconds(stock.meanMs), seconds(stockStart.meanMs), seconds(work(stock, stockStart)), stock.ok ? 'valid' : 'FAILED', stock.summary],
      ['opentrail validate-logs, file: copy', seconds(local.meanMs), seconds(oursStart.meanMs), seconds(work(local, oursStart)), local.ok ? 'valid' : 'FAILED', local.summary],
      stock === undefined || stockStart === undefined
        ? ['speed-up (goal 20x)', 'n/a', '', 'n/a', '', '']
        : ['speed-up, both on moto (goal 20x)', `${(stock.meanMs / ours.meanMs).toFixed(1)}x`, '', `${(work(stock, stockStart) / work(ours, oursStart)).toFixed(1)}x`, '', ''],
      stock === undefined || stockStart === undefined
        ? ['speed-up, ours on the file: copy', 'n/a', '', 'n/a', '', '']
        : ['speed-up, ours on the file: copy', `${(stock.meanMs / local.meanMs).toFixed(1)}x`, '', `${(work(stock, stockStart) / work(local, oursStart)).toFixed(1)}x`, '', ''],
    ];
    validation =
      `validate-logs: ${digests} digest files, ${logs} log files in moto (1 s digest periods); wall time of whole runs, mean of ${RUNS};\n` +
      'process start = a run refused for its ARN before any request; work = wall time - process start\n' +
      table(['validator', 'wall time', 'process start', 'work', 'result', 'counts'], rows);
  } finally {
    await data?.stop();
  }
  return `${validation}\n\nMerkle proofs on ${LEAVES.toLocaleString('en-US')} leaves (src/integrity/merkle)\n${table(['operation', 'rate', 'notes'], merkleRows())}`;
}
