/**
 * The contract between the pipeline and an operation of any service: a typed handler per
 * operation name. Every operation of a service's model appears in its table, either with a
 * handler or as UNSUPPORTED, so the compiler notices a forgotten or misspelled one.
 */
import type { OperationContext } from './operation-context.js';

export const UNSUPPORTED = 'unsupported';

export interface OperationSpec<Input, Output> {
  handle(input: Input, context: OperationContext): Promise<Output>;
  /**
   * The ARN authorization checks against; '*' when the operation is not about one resource.
   * It may read stores (an IAM user's path is part of its ARN), so it may be async.
   */
  authorizationResource?(input: Input, context: OperationContext): string | Promise<string>;
}

/** One service's operations, keyed by the generated model's OperationName. */
export type OperationTable<Name extends string, Inputs extends { [Op in Name]: unknown }, Outputs extends { [Op in Name]: unknown }> = {
  readonly [Op in Name]: OperationSpec<Inputs[Op], Outputs[Op]> | typeof UNSUPPORTED;
};
