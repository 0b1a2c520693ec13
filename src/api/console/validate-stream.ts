/**
 * A validate-logs run from the console, as server-sent events: `opentrail validate-logs`' checks
 * (the stock CLI's digest chain walk plus the Merkle tree) over the trail's bucket in the object
 * store this server delivers to, with progress as files are checked. It first makes the calls a
 * CLI run makes, through the pipeline: DescribeTrails (the trail's bucket and prefix) and
 * ListPublicKeys (the region's signing keys), so the run is authorized and recorded as theirs.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Clock } from '../../core/clock.js';
import { parseTrailArn, printResult, validateTrail, ValidationAbort } from '../../integrity/validate/index.js';
import type { Entry, ObjectReader, PublicKey } from '../../integrity/validate/index.js';
import { ServiceError } from '../errors.js';
import type { LocalCall } from '../pipeline.js';
import { checkRegion, ConsoleError, SECURITY_HEADERS } from './console-http.js';
import type { StreamCaller } from './event-streams.js';

const PROGRESS_INTERVAL_MS = 100;

export interface ValidateDeps {
  objects: ObjectReader;
  logger: Logger;
  clock: Clock;
  invoke(call: LocalCall): Promise<unknown>;
}

export interface ValidateRequest {
  trailArn: string;
  startMs: number;
  endMs: number;
  region: string;
}

function epochSeconds(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new ConsoleError('ValidationException', `${name} must be a time in epoch seconds.`, 400);
  return seconds * 1000;
}

export function parseValidateRequest(params: URLSearchParams, nowMs: number, defaultRegion: string): ValidateRequest {
  const trailArn = params.get('trailArn') ?? '';
  try {
    parseTrailArn(trailArn);
  } catch (error) {
    throw new ConsoleError('ValidationException', (error as Error).message, 400);
  }
  const startMs = epochSeconds(params.get('startTime'), 'startTime');
  if (startMs === undefined) throw new ConsoleError('ValidationException', 'startTime is required.', 400);
  const endMs = epochSeconds(params.get('endTime'), 'endTime') ?? nowMs;
  if (startMs > endMs) throw new ConsoleError('ValidationException', 'Invalid time range specified: start-time must occur before end-time', 400);
  return { trailArn, startMs, endMs, region: checkRegion(params.get('region') || defaultRegion) };
}

interface DescribedTrail {
  TrailARN?: string;
  S3BucketName?: string;
  S3KeyPrefix?: string;
  IsOrganizationTrail?: boolean;
}

/** A line per thing found wrong, for the console to list. */
function problemOf(entry: Entry): string[] {
  switch (entry.kind) {
    case 'digest':
    case 'log':
      return entry.valid ? [] : [`${entry.key}: ${entry.reason}`];
    case 'lost':
      return [`A digest between ${entry.afterKey} and ${entry.beforeKey} is missing`];
    case 'gap':
      return [];
    case 'merkle':
      return entry.status === 'valid' ? [] : [`Merkle tree of ${entry.region}: ${entry.reason}`];
    case 'trusted':
      return entry.valid ? [] : [`Trusted digest: ${entry.reason}`];
    case 'unlisted':
      return [];
  }
}

function send(res: ServerResponse, event: string, data: unknown): void {
  if (!res.destroyed && !res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export async function validateStream(request: ValidateRequest, who: StreamCaller, res: ServerResponse, deps: ValidateDeps): Promise<void> {
  const local = (operation: string, input: Record<string, unknown>, region: string): LocalCall => ({
    service: 'cloudtrail',
    operation,
    input,
    caller: who.caller,
    sourceIPAddress: who.sourceIPAddress,
    userAgent: who.userAgent,
    region,
    fromConsole: true,
  });
  const homeRegion = parseTrailArn(request.trailArn).homeRegion;
  const described = (await deps.invoke(local('DescribeTrails', { trailNameList: [request.trailArn] }, homeRegion))) as { trailList?: DescribedTrail[] };
  const trail = described.trailList?.find((t) => t.TrailARN === request.trailArn);
  if (trail?.S3BucketName === undefined) throw new ConsoleError('TrailNotFoundException', `A trail could not be found for ${request.trailArn}`, 400);
  if (trail.IsOrganizationTrail === true) {
    throw new ConsoleError('ValidationException', 'Organization trails are validated per member account: use opentrail validate-logs --account-id.', 400);
  }
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
  let lastProgressMs = 0;
  try {
    const result = await validateTrail({
      reader: deps.objects,
      publicKeys: async (startMs, endMs) => {
        const output = (await deps.invoke(local('ListPublicKeys', { StartTime: startMs / 1000, EndTime: endMs / 1000 }, request.region))) as {
          PublicKeyList?: { Fingerprint?: string; Value?: string }[];
        };
        return (output.PublicKeyList ?? []).flatMap((k): PublicKey[] =>
          k.Fingerprint !== undefined && k.Value !== undefined ? [{ fingerprint: k.Fingerprint, der: Buffer.from(k.Value, 'base64') }] : [],
        );
      },
      trailArn: request.trailArn,
      bucket: trail.S3BucketName,
      prefix: trail.S3KeyPrefix,
      sourceRegion: request.region,
      startMs: request.startMs,
      endMs: request.endMs,
      onProgress: (done, total) => {
        const nowMs = deps.clock.now();
        if (nowMs - lastProgressMs < PROGRESS_INTERVAL_MS && done < total) return;
        lastProgressMs = nowMs;
        send(res, 'progress', { done, total });
      },
    });
    let report = '';
    printResult(result, { startMs: request.startMs, endMs: request.endMs, verbose: false }, { stdout: (t) => (report += t), stderr: (t) => (report += t) });
    const problems = result.entries.flatMap(problemOf);
    send(res, 'result', {
      ok: result.ok,
      digests: result.digests.range,
      logFiles: result.logs.range,
      outsideRange: { digests: result.digests.outside, logFiles: result.logs.outside },
      problems,
      report,
    });
  } catch (error) {
    const known = error instanceof ServiceError || error instanceof ConsoleError || error instanceof ValidationAbort;
    if (!known) deps.logger.error({ err: error, trailArn: request.trailArn }, 'console validation run failed');
    send(res, 'error', { code: known ? ((error as { code?: string }).code ?? 'ValidationAbort') : 'InternalFailure', message: known ? error.message : 'The validation run failed.' });
  }
  if (!res.writableEnded) res.end();
}
