/** What an adapter not written yet answers: a clear refusal, never a silent no-op. */
export class UnsupportedOnPostgresError extends Error {
  constructor(what: string) {
    super(`${what} is not supported by the PostgreSQL store yet`);
    this.name = 'UnsupportedOnPostgresError';
  }
}

/** A port whose every method rejects with UnsupportedOnPostgresError. */
export function unsupportedPort<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get: (_target, method) => async () => Promise.reject(new UnsupportedOnPostgresError(`${name}.${String(method)}`)),
  });
}
