/**
 * One request through node:http with its path and headers exactly as given: fetch would resolve
 * dot segments and set Host from the URL, which tests of the gateway's paths and virtual-hosted
 * Host headers must not have done for them.
 */
import { request } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';

export async function getAsWritten(hostname: string, port: number, path: string, headers: OutgoingHttpHeaders): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: 'GET', path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
