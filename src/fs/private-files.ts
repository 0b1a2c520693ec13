/**
 * Everything OpenTrail writes (the database and its -wal/-shm, the master key, the credentials
 * file, delivered log files and their folders) holds some account's history or secrets, so it is
 * readable by its owner only: files 0600, folders 0700. The CLI also sets the umask to 0077
 * (src/cli/main.ts); the explicit modes here hold whatever the umask, and the helpers below also
 * tighten what an earlier version or an operator left looser.
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;
/** The umask that makes every file and folder a library creates without a mode private too. */
export const PRIVATE_UMASK = 0o077;

/** Group and other permission bits. */
const SHARED_BITS = 0o077;
const STICKY_BIT = 0o1000;

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Creates the file (empty, 0600) when absent; an existing file that others can read becomes 0600. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  tightenFile(file);
}

/** chmod 0600 when the file exists and its group or others have any permission; true when changed. */
export function tightenFile(file: string): boolean {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if ((mode & SHARED_BITS) === 0) return false;
  chmodSync(file, PRIVATE_FILE_MODE);
  return true;
}

/**
 * Creates the data directory 0700, or makes an existing one 0700 when group or others could
 * enter or read it (an earlier version, `mkdir` under umask 022, an unpacked backup). Returns a
 * sentence for the operator when the directory was accessible to others, whether or not it
 * could be fixed; undefined when it was private already.
 *
 * A shared folder (sticky bit, like /tmp) or one owned by another user is left as it is: making
 * it 0700 would lock everyone else out of it. Only the warning is given then.
 */
export function securePrivateDir(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const stats = statSync(dir);
  if ((stats.mode & SHARED_BITS) === 0) return undefined;
  const was = octal(stats.mode);
  const ownedByUs = process.getuid === undefined || stats.uid === process.getuid();
  if ((stats.mode & STICKY_BIT) !== 0 || !ownedByUs) {
    return `data directory ${dir} is accessible to other local users (mode ${was}) and is shared or not ours to change; choose a private data directory`;
  }
  try {
    chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    return `data directory ${dir} is accessible to other local users (mode ${was}) and could not be made private: ${(error as Error).message}`;
  }
  return `data directory ${dir} was accessible to other local users (mode ${was}); changed it to 0700`;
}
