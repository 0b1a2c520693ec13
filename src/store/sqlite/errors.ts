/** Recognising SQLite errors the stores translate into domain errors. */

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
