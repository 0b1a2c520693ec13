/** File system errors as the file store reports them. */
import { errorMessage } from '../../core/error-message.js';
import { ObjectStoreError } from '../errors.js';

/** The errno code (ENOENT, EISDIR, ...) of a file system error. */
export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** File system errors as ObjectStoreErrors: conflicts with other keys are permanent, the rest may pass. */
export function fileStoreError(error: unknown, doing: string): ObjectStoreError {
  if (error instanceof ObjectStoreError) return error;
  const code = errnoOf(error);
  const message = `${doing}: ${errorMessage(error)}`;
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST') {
    return new ObjectStoreError(`${message} (a key cannot also be the folder of other keys in the file store)`, { retryable: false, code: 'KeyConflict', cause: error });
  }
  if (code === 'ENAMETOOLONG') return new ObjectStoreError(message, { retryable: false, code: 'InvalidKey', cause: error });
  return new ObjectStoreError(message, { retryable: true, code: code ?? 'IOError', cause: error });
}
