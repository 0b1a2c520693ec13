/**
 * The soak: PutAuditEvents at a steady offered rate for a bounded time, the server's RSS printed
 * every sample period. Calls are built and signed as they are due (a pre-signed soak of ten
 * minutes would not fit in memory); at most `maxInFlight` wait for their answer at once, and a
 * call due while that many wait is counted as not sent, so the run stops on time whatever the
 * server does.
 */
import { Agent } from 'node:http';
import { sendCall, signCalls } from './load.js';

export interface SoakOptions {
  url: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  channelArn: string;
  eventsPerSecond: number;
  seconds: number;
  sampleSeconds: number;
  /** One call's body: `events` audit events, unique across the run. */
  body: (call: number) => string;
  eventsPerCall: number;
  rssMb: () => number;
  onSample: (sample: SoakSample) => void;
  maxInFlight?: number;
}

export interface SoakSample {
  atSeconds: number;
  rssMb: number;
  /** Events acknowledged during the period, per second. */
  ackedPerSecond: number;
  failedCalls: number;
  notSent: number;
}

export async function runSoak(options: SoakOptions): Promise<SoakSample[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxInFlight ?? 64 });
  const callsPerSecond = options.eventsPerSecond / options.eventsPerCall;
  const samples: SoakSample[] = [];
  const start = performance.now();
  let sent = 0;
  let inFlight = 0;
  let acked = 0;
  let failed = 0;
  let notSent = 0;
  let lastSample = start;
  let ackedAtSample = 0;
  const outstanding = new Set<Promise<void>>();
  const elapsed = () => (performance.now() - start) / 1000;
  while (elapsed() < options.seconds) {
    const due = Math.floor(elapsed() * callsPerSecond);
    while (sent < due) {
      const call = sent++;
      if (inFlight >= (options.maxInFlight ?? 64)) {
        notSent++;
        continue;
      }
      inFlight++;
      const work = (async () => {
        const [signed] = await signCalls(options.url, options.credentials, options.channelArn, [options.body(call)]);
        const status = await sendCall(options.url, agent, signed!).catch(() => 0);
        if (status === 200) acked += options.eventsPerCall;
        else failed++;
      })().finally(() => {
        inFlight--;
        outstanding.delete(work);
      });
      outstanding.add(work);
    }
    if (performance.now() - lastSample >= options.sampleSeconds * 1000) {
      const periodSeconds = (performance.now() - lastSample) / 1000;
      const sample = { atSeconds: Math.round(elapsed()), rssMb: options.rssMb(), ackedPerSecond: (acked - ackedAtSample) / periodSeconds, failedCalls: failed, notSent };
      samples.push(sample);
      options.onSample(sample);
      lastSample = performance.now();
      ackedAtSample = acked;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(outstanding);
  agent.destroy();
  return samples;
}
