/**
 * A bounded load generator: pre-signed PutAuditEvents calls sent over keep-alive connections
 * by N concurrent clients. Signing happens before the clock starts, so the measured time is
 * the server's, not the generator's crypto.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Agent, request } from 'node:http';

export interface PreparedCall {
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export async function signCalls(
  url: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  channelArn: string,
  bodies: string[],
): Promise<PreparedCall[]> {
  const { hostname, port, host } = new URL(url);
  const signer = new SignatureV4({ service: 'cloudtrail-data', region: 'us-east-1', credentials, sha256: Sha256 });
  const calls: PreparedCall[] = [];
  for (const body of bodies) {
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        hostname,
        port: Number(port),
        path: '/PutAuditEvents',
        query: { channelArn },
        headers: { host, 'content-type': 'application/json' },
        body,
      }),
    );
    calls.push({
      path: `/PutAuditEvents?channelArn=${encodeURIComponent(channelArn)}`,
      headers: signed.headers,
      body: Buffer.from(body),
    });
  }
  return calls;
}

export interface LoadResult {
  seconds: number;
  okCalls: number;
  failedCalls: number;
  latenciesMs: number[];
}

/** Sends every call once, `concurrency` at a time; stops by itself when all are answered. */
export async function runLoad(url: string, calls: PreparedCall[], concurrency: number): Promise<LoadResult> {
  const { hostname, port } = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let okCalls = 0;
  let failedCalls = 0;
  const latenciesMs: number[] = [];
  const send = async (call: PreparedCall) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ hostname, port: Number(port), path: call.path, method: 'POST', headers: call.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(call.body);
    });
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < calls.length) {
        const call = calls[next++]!;
        const t0 = process.hrtime.bigint();
        const status = await send(call);
        latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status === 200) okCalls++;
        else failedCalls++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  return { seconds, okCalls, failedCalls, latenciesMs };
}
