/** Listing a bucket: the keys under a folder, found by walking it (the file store has no index). */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf } from './fs-errors.js';
import { isReservedName } from './object-keys.js';

/**
 * Appends to `keys` every key under `dir` (whose key is `relative`) whose first segment below it
 * begins with `partial`. Temporary files and other reserved names are skipped; a folder that is
 * not there (or is a file) holds no keys. Keys come in folder order: callers sort them.
 */
export async function walkKeys(dir: string, relative: string, partial: string, keys: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (errnoOf(error) === 'ENOENT' || errnoOf(error) === 'ENOTDIR') return;
    throw error;
  }
  for (const entry of entries) {
    if (isReservedName(entry.name) || !entry.name.startsWith(partial)) continue;
    const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) await walkKeys(join(dir, entry.name), key, '', keys);
    else if (entry.isFile()) keys.push(key);
  }
}
