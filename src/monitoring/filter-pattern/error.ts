/** The one error a pattern that does not parse raises (re-exported by ./index.ts, where the contract names it). */
export class FilterPatternError extends Error {
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = 'FilterPatternError';
    this.position = position;
  }
}
