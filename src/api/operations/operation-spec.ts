/**
 * The contract between the pipeline and an operation: a typed handler per operation name.
 * Every operation of the model appears in the table, either with a handler or as
 * UNSUPPORTED, so the compiler notices a forgotten or misspelled one.
 */
import type { OperationInputs, OperationName, OperationOutputs } from '../model/cloudtrail.gen.js';
import type { OperationContext } from './context.js';

export const UNSUPPORTED = 'unsupported';

export interface OperationSpec<Op extends OperationName> {
  handle(input: OperationInputs[Op], context: OperationContext): Promise<OperationOutputs[Op]>;
  /** The ARN authorization checks against; '*' when the operation is not about one resource. */
  authorizationResource?(input: OperationInputs[Op], context: OperationContext): string;
}

export type OperationTable = { readonly [Op in OperationName]: OperationSpec<Op> | typeof UNSUPPORTED };
