/** One of OpenTrail's own operations: a handler over raw JSON input and the resource it is authorized on. */
import type { OperationContext } from '../../api/operation-context.js';

export interface OpenTrailOperation {
  handle(input: Record<string, unknown>, context: OperationContext): Promise<Record<string, unknown>>;
  authorizationResource(input: Record<string, unknown>): string;
}
