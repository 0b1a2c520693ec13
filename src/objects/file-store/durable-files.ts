/**
 * The file system operations the file store is built from. Writes are atomic and durable: a
 * file is written to a temporary file in its own folder, fsynced, renamed over the target, and
 * the folder is fsynced (new folders too), so after a crash a file holds its old bytes or its
 * new ones, never a mix. Files are created 0600 and folders 0700 (src/fs/private-files.ts).
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RESERVED_SEGMENT_PREFIX } from '../../core/object-keys.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../fs/private-files.js';
import { errnoOf } from './fs-errors.js';

/** Under the reserved prefix, so no key can name a temporary file and no listing shows one. */
const TMP_PREFIX = `${RESERVED_SEGMENT_PREFIX}tmp-`;

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** mkdir -p, then fsyncs every folder whose entries changed, so the new folders survive a crash. */
export async function mkdirDurable(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (first === undefined) return;
  const changed: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    changed.push(dirname(d));
    if (d === first || dirname(d) === d) break;
  }
  for (const d of changed.reverse()) await fsyncDir(d);
}

/** Temporary file in the same folder → write → fsync → rename → fsync the folder. */
export async function writeAtomic(file: string, data: Buffer): Promise<void> {
  const dir = dirname(file);
  await mkdirDurable(dir);
  const tmp = join(dir, TMP_PREFIX + randomBytes(8).toString('hex'));
  const handle = await open(tmp, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(tmp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}

/** The file's bytes, or undefined when there is no regular file there (symbolic links are not followed). */
export async function readIfFile(file: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'ELOOP'].includes(errnoOf(error) ?? '')) return undefined;
    throw error;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Deletes the file and fsyncs its folder; false when there was no file to delete. */
export async function unlinkDurable(file: string): Promise<boolean> {
  try {
    await unlink(file);
  } catch (error) {
    // ENOENT/ENOTDIR: nothing there; EISDIR/EPERM: a folder of other keys, not an object.
    if (['ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM'].includes(errnoOf(error) ?? '')) return false;
    throw error;
  }
  await fsyncDir(dirname(file));
  return true;
}
