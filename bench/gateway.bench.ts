/**
 * The SigV4 gateway's cost: the same S3 calls sent straight to an upstream (signed with the
 * upstream's credentials) and through OpenTrail (signed with OpenTrail's; verified, authorized,
 * journaled durably, forwarded re-signed, recorded durably, then answered), by the same client,
 * at the same concurrency, in the same run. The upstream is the bench's own fast in-memory S3
 * (support/s3-upstream.ts) so the gateway's time is what shows; a moto row follows when moto
 * can run here (BENCH_GATEWAY_MOTO=0 leaves it out).
 *
 * Rows: 1 KiB GetObject and PutObject at 1 and 16 clients (calls/s, p50, p99), and one large
 * object (BENCH_GATEWAY_LARGE_MB, default 256) PUT and GET streamed (MB/s), with the server's
 * peak RSS over the large rows (VmHWM, reset before them).
 */
import { startMoto, motoAvailable } from '../test/support/moto.js';
import { startServer } from '../test/support/server-process.js';
import type { ServerProcess } from '../test/support/server-process.js';
import { deterministicSha256, memoryOf, resetPeakRss, runS3Load, sendS3, signS3, streamGet, streamPut } from './support/s3-calls.js';
import type { S3Endpoint, S3LoadResult, SignedS3Call, StreamResult } from './support/s3-calls.js';
import { startFastS3Upstream } from './support/s3-upstream.js';
import { ms, summarize, table } from './support/stats.js';

const ACCOUNT = '123456789012';
const KEY = { accessKeyId: 'AKIABENCHGATEWAY0001', secretAccessKey: 'bench-gateway-secret-0123456789abcdefgh' };
/** What the server signs the upstream's calls with (its AWS credential chain, from the environment). */
const UPSTREAM_KEY = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const SMALL = 1024;
const BUCKET = 'bench';

export interface GatewayBenchOptions {
  dataDir: string;
  /** Calls per small row and side (fast upstream). */
  calls: number;
  /** Calls per small row and side against moto. */
  motoCalls: number;
  largeMb: number;
  moto: boolean;
}

type Op = 'GetObject' | 'PutObject';

async function smallCalls(endpoint: S3Endpoint, op: Op, n: number, tag: string): Promise<SignedS3Call[]> {
  const body = Buffer.alloc(SMALL, 0x61);
  const calls: SignedS3Call[] = [];
  for (let i = 0; i < n; i++) {
    calls.push(op === 'GetObject' ? await signS3(endpoint, 'GET', `/${BUCKET}/small-${i % 64}`) : await signS3(endpoint, 'PUT', `/${BUCKET}/put-${tag}-${i}`, body));
  }
  return calls;
}

function rate(result: S3LoadResult): number {
  return result.ok / result.seconds;
}

async function smallRows(upstreamName: string, direct: S3Endpoint, gateway: S3Endpoint, calls: number): Promise<string[][]> {
  // The objects the GETs read, and a warm-up of both paths (connections, JIT).
  const body = Buffer.alloc(SMALL, 0x62);
  for (let i = 0; i < 64; i++) {
    const put = await sendS3(direct.url, await signS3(direct, 'PUT', `/${BUCKET}/small-${i}`, body));
    if (put.status !== 200) throw new Error(`seeding ${upstreamName} failed: ${put.status} ${put.body.toString('utf8')}`);
  }
  for (const endpoint of [direct, gateway]) {
    const warm = await runS3Load(endpoint.url, await smallCalls(endpoint, 'GetObject', 64, 'warm'), 4);
    if (warm.failed > 0) throw new Error(`warm-up against ${endpoint.url} failed ${warm.failed} calls`);
  }
  const rows: string[][] = [];
  for (const op of ['GetObject', 'PutObject'] as const) {
    for (const clients of [1, 16]) {
      const d = await runS3Load(direct.url, await smallCalls(direct, op, calls, `d${clients}`), clients, 30);
      const g = await runS3Load(gateway.url, await smallCalls(gateway, op, calls, `g${clients}`), clients, 30);
      const ds = summarize(d.latenciesMs);
      const gs = summarize(g.latenciesMs);
      rows.push([
        upstreamName,
        `${op} 1 KiB`,
        String(clients),
        `${d.ok}/${g.ok}`,
        String(d.failed + g.failed),
        Math.round(rate(d)).toLocaleString('en-US'),
        Math.round(rate(g)).toLocaleString('en-US'),
        (rate(g) / rate(d)).toFixed(2),
        ms(ds.p50),
        ms(ds.p99),
        ms(gs.p50),
        ms(gs.p99),
      ]);
    }
  }
  return rows;
}

function mbps(result: StreamResult): number {
  return result.bytes / (1024 * 1024) / result.seconds;
}

function checked(result: StreamResult, what: string, sha256: string): StreamResult {
  if (result.status !== 200) throw new Error(`${what} answered ${result.status}: ${result.error ?? ''}`);
  if (result.sha256 !== sha256) throw new Error(`${what}: the bytes differ (sha256 ${result.sha256}, expected ${sha256})`);
  return result;
}

async function largeRows(direct: S3Endpoint, gateway: S3Endpoint, server: ServerProcess, largeMb: number): Promise<{ rows: string[][]; memory: string }> {
  const total = largeMb * 1024 * 1024;
  const sha256 = deterministicSha256(total);
  const pid = server.process.pid!;
  const before = memoryOf(pid);
  const reset = resetPeakRss(pid);
  const size = `${largeMb} MiB`;
  const rows: string[][] = [];
  const row = (call: string, d: StreamResult, g: StreamResult) => rows.push([call, size, mbps(d).toFixed(0), mbps(g).toFixed(0), (mbps(g) / mbps(d)).toFixed(2)]);

  const dPut = checked(await streamPut(direct, `/${BUCKET}/large-d`, total), 'direct PUT', sha256);
  const gPut = checked(await streamPut(gateway, `/${BUCKET}/large-g`, total), 'gateway PUT', sha256);
  row('PutObject, UNSIGNED-PAYLOAD', dPut, gPut);
  const dSigned = checked(await streamPut(direct, `/${BUCKET}/large-d`, total, sha256), 'direct signed PUT', sha256);
  const gSigned = checked(await streamPut(gateway, `/${BUCKET}/large-g`, total, sha256), 'gateway signed PUT', sha256);
  row('PutObject, payload SHA-256 signed (gateway verifies it)', dSigned, gSigned);
  const dGet = checked(await streamGet(direct, `/${BUCKET}/large-d`), 'direct GET', sha256);
  const gGet = checked(await streamGet(gateway, `/${BUCKET}/large-g`), 'gateway GET', sha256);
  row('GetObject', dGet, gGet);

  const after = memoryOf(pid);
  const memory = reset
    ? `Server peak RSS during the large-object rows: ${after.peakMb.toFixed(0)} MB (VmHWM reset before them at RSS ${before.rssMb.toFixed(0)} MB; RSS after ${after.rssMb.toFixed(0)} MB)`
    : `Server peak RSS over the whole run (VmHWM could not be reset): ${after.peakMb.toFixed(0)} MB (RSS before the large rows ${before.rssMb.toFixed(0)} MB)`;
  return { rows, memory };
}

async function gatewayServer(dataDir: string, upstreamUrl: string): Promise<ServerProcess> {
  return startServer({
    dataDir,
    accountId: ACCOUNT,
    ...KEY,
    args: ['--upstream', `s3=${upstreamUrl}`],
    env: { AWS_ACCESS_KEY_ID: UPSTREAM_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: UPSTREAM_KEY.secretAccessKey, OPENTRAIL_LOG_LEVEL: 'error' },
  });
}

export async function gatewayBench(options: GatewayBenchOptions): Promise<string> {
  const smallHeader = ['upstream', 'call', 'clients', 'ok direct/gateway', 'failed', 'direct calls/s', 'gateway calls/s', 'ratio', 'direct p50', 'direct p99', 'gateway p50', 'gateway p99'];
  const small: string[][] = [];
  let large: { rows: string[][]; memory: string };

  const upstream = await startFastS3Upstream('memory');
  let server: ServerProcess | undefined;
  try {
    server = await gatewayServer(`${options.dataDir}/fast`, upstream.url);
    const direct = { url: upstream.url, credentials: UPSTREAM_KEY };
    const gateway = { url: server.url, credentials: KEY };
    small.push(...(await smallRows('fast in-memory', direct, gateway, options.calls)));
    large = await largeRows(direct, gateway, server, options.largeMb);
  } finally {
    await server?.stop();
    await upstream.stop();
  }

  if (options.moto && motoAvailable()) {
    const moto = await startMoto();
    let motoServer: ServerProcess | undefined;
    try {
      motoServer = await gatewayServer(`${options.dataDir}/moto`, moto.url);
      const direct = { url: moto.url, credentials: UPSTREAM_KEY };
      const created = await sendS3(moto.url, await signS3(direct, 'PUT', `/${BUCKET}`));
      if (created.status !== 200) throw new Error(`moto CreateBucket answered ${created.status}`);
      small.push(...(await smallRows('moto', direct, { url: motoServer.url, credentials: KEY }, options.motoCalls)));
    } finally {
      await motoServer?.stop();
      await moto.stop();
    }
  }

  return [
    'Gateway: the same signed S3 calls straight to the upstream and through OpenTrail (journaled and recorded durably before the answer), same client, same run',
    table(smallHeader, small),
    '',
    `Large object, one stream each way (${options.largeMb} MiB of deterministic bytes, SHA-256 checked both ways; fast in-memory upstream)`,
    table(['call', 'size', 'direct MB/s', 'gateway MB/s', 'ratio'], large.rows),
    large.memory,
  ].join('\n');
}
