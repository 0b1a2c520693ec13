/** The server's node flags are given the same way wherever the server is started from. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './heap-settings.js';

const root = join(import.meta.dirname, '..', '..');

describe('SERVER_NODE_FLAGS', () => {
  it('are in the bin script and in npm start', () => {
    const shebang = readFileSync(join(root, 'bin', 'opentrail.js'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toContain(`node ${SERVER_NODE_FLAGS.join(' ')} bin/opentrail.js serve`);
  });
});
