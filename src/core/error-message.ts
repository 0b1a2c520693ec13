/** What a caught value says: its message when it is an Error (anything can be thrown), else its text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
