/**
 * The console's built files (dist/console, from `vite build`). Assets have content-hashed names,
 * so they may be cached for good; any other path under /console/ gets index.html, so the app's
 * own routes can be bookmarked. Paths are resolved inside the folder and nothing outside it is
 * ever read: `..`, encoded or not, cannot climb out.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from './console-http.js';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export class StaticFiles {
  readonly #root: string;

  constructor(root: string) {
    this.#root = normalize(root);
  }

  /** `relative`: the path after /console/, still URL-encoded. */
  async serve(relative: string, method: string, res: ServerResponse): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      decoded = '';
    }
    const candidate = normalize(join(this.#root, decoded));
    const inside = candidate.startsWith(this.#root + sep) && !decoded.includes('\0');
    const file = inside && (await isFile(candidate)) ? candidate : join(this.#root, 'index.html');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      const text = 'The web console is not built: run `npm run build` (npm install and npm start do it).';
      res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    const immutable = file.startsWith(join(this.#root, 'assets') + sep);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : body);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
