import { CloudTrailClient, CreateChannelCommand } from '@aws-sdk/client-cloudtrail';
import * as require_fs from 'node:fs';
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startServer } from '../test/support/server-process.js';
import { signCalls, runLoad } from './support/load.js';
import { profileSummary } from './support/profile-summary.js';

const KEY = { accessKeyId: 'AKIABENCHINGEST00001', secretAccessKey: 'bench-ingest-secret-0123456789abcdefgh' };
function eventData(run: string, i: number): string {
  return JSON.stringify({ version: '1.0', userIdentity: { type: 'CustomUser', principalId: `user-${i % 500}`, details: { team: 'payments' } }, userAgent: 'payments-service/2.1', eventSource: 'payments.example.com', eventName: ['ApproveRefund', 'CreateInvoice', 'GetInvoice', 'DeleteCard'][i % 4], eventTime: new Date(Date.now() - (i % 3600) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'), UID: `${run}-${i}`, requestParameters: { invoiceId: `inv-${i}`, amount: 12.5 }, sourceIPAddress: `10.1.${i % 256}.${(i >> 8) % 256}` });
}
const dir = mkdtempSync(join(tmpdir(), 'prof-'));
const profDir = process.env.PROF_DIR ?? '/tmp/prof';
const events = Number(process.env.EVENTS ?? 100000);
const prof = process.env.PROF !== '0';
const server = await startServer({ dataDir: dir, accountId: '123456789012', ...KEY, env: { OPENTRAIL_LOG_LEVEL: 'error' }, nodeArgs: prof ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : (process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean) });
const st0 = require_fs.readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
console.log('idle VmRSS', /VmRSS:\s+(\d+)/.exec(st0)?.[1], 'RssAnon', /RssAnon:\s+(\d+)/.exec(st0)?.[1], 'RssFile', /RssFile:\s+(\d+)/.exec(st0)?.[1]);
const admin = new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: KEY, maxAttempts: 1 });
const channelArn = (await admin.send(new CreateChannelCommand({ Name: 'bench', Source: 'Custom', Destinations: [{ Type: 'EVENT_DATA_STORE', Location: 'eds-bench' }] }))).ChannelArn!;
const bodies: string[] = [];
for (let i = 0; i < events; i += 100) { const a = []; for (let j = i; j < i + 100; j++) a.push({ id: `p-${j}`, eventData: eventData('p', j) }); bodies.push(JSON.stringify({ auditEvents: a })); }
const calls = await signCalls(server.url, KEY, channelArn, bodies);
const cpu = () => { const f = (require_fs.readFileSync(`/proc/${server.process.pid}/stat`, 'utf8')).split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const threads = () => new Map(require_fs.readdirSync(`/proc/${server.process.pid}/task`).map((t) => { const raw = require_fs.readFileSync(`/proc/${server.process.pid}/task/${t}/stat`, 'utf8'); const name = raw.slice(raw.indexOf('(') + 1, raw.lastIndexOf(')')); const f = raw.slice(raw.lastIndexOf(')') + 2).split(' '); return [`${t}:${name}`, (Number(f[11]) + Number(f[12])) / 100] as [string, number]; }));
const t0 = threads();
const c0 = cpu(); const self0 = process.cpuUsage();
const r = await runLoad(server.url, calls, Number(process.env.CLIENTS ?? 8));
const c1 = cpu(); const self1 = process.cpuUsage(self0);
for (const [name, after] of threads()) { const d = after - (t0.get(name) ?? 0); if (d > 0.05) console.log('  thread', name, 'CPU µs/event', (d * 1e6 / events).toFixed(1)); }
console.log('server CPU µs/event', ((c1 - c0) * 1e6 / events).toFixed(1), 'loadgen CPU µs/event', ((self1.user + self1.system) / events).toFixed(1), 'wall s', r.seconds.toFixed(2));
console.log('events/s', Math.round(r.okCalls * 100 / r.seconds), 'failed', r.failedCalls);
const status = (await import('node:fs')).readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
console.log('VmHWM', /VmHWM:\s+(\d+)/.exec(status)?.[1], 'VmRSS', /VmRSS:\s+(\d+)/.exec(status)?.[1], 'RssAnon', /RssAnon:\s+(\d+)/.exec(status)?.[1], 'RssFile', /RssFile:\s+(\d+)/.exec(status)?.[1], 'RssShmem', /RssShmem:\s+(\d+)/.exec(status)?.[1]);
if (process.env.SNAP === '1') { process.kill(server.process.pid!, 'SIGUSR2'); await new Promise((r) => setTimeout(r, 8000)); }
await server.stop();
if (prof) for (const f of readdirSync(profDir)) { console.log('==', f); for (const [n, p] of profileSummary(join(profDir, f), 25)) console.log(p, n); }
