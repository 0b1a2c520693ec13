/** The operation contract (../../../api/operation-spec.ts) for cloudwatch 2010-08-01. */
import type { OperationSpec as AnyOperationSpec, OperationTable as AnyOperationTable } from '../../../api/operation-spec.js';
import type { OperationInputs, OperationName, OperationOutputs } from '../model.gen.js';

export { UNSUPPORTED } from '../../../api/operation-spec.js';

export type OperationSpec<Op extends OperationName> = AnyOperationSpec<OperationInputs[Op], OperationOutputs[Op]>;

export type OperationTable = AnyOperationTable<OperationName, OperationInputs, OperationOutputs>;
