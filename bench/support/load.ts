/**
 * A bounded load generator: pre-signed PutAuditEvents calls sent over keep-alive connections
 * by N concurrent clients. Signing happens before the clock starts, so the measured time is
 * the server's, not the generator's crypto.
 */
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import type { Hash, Hmac } from 'node:crypto';
import { Agent, request } from 'node:http';

function bytesOf(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 and HMAC-SHA-256 for the signer from node:crypto: signing on the fly (the soak) stays cheap. */
class NodeSha256 {
  readonly #secret: Buffer | undefined;
  #hash: Hash | Hmac;

  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.#secret = secret === undefined ? undefined : bytesOf(secret);
    this.#hash = this.#fresh();
  }

  #fresh(): Hash | Hmac {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }

  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.#hash.update(bytesOf(data));
  }

  async digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = this.#fresh();
  }
}

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
  const signer = new SignatureV4({ service: 'cloudtrail-data', region: 'us-east-1', credentials, sha256: NodeSha256 });
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

/** Sends one pre-signed call; its HTTP status. */
export async function sendCall(url: string, agent: Agent, call: PreparedCall): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise<number>((resolve, reject) => {
    const req = request({ hostname, port: Number(port), path: call.path, method: 'POST', headers: call.headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

export interface LoadResult {
  seconds: number;
  okCalls: number;
  failedCalls: number;
  latenciesMs: number[];
}

/** Sends every call once, `concurrency` at a time; stops by itself when all are answered. */
export async function runLoad(url: string, calls: PreparedCall[], concurrency: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let okCalls = 0;
  let failedCalls = 0;
  const latenciesMs: number[] = [];
  const send = async (call: PreparedCall) => sendCall(url, agent, call);
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
