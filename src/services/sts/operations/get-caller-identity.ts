/** GetCallerIdentity: who signed the request (account, unique id, ARN); it changes nothing. */
import type { OperationSpec } from './operation-spec.js';

export const getCallerIdentity: OperationSpec<'GetCallerIdentity'> = {
  async handle(_input, context) {
    const { caller } = context;
    return { UserId: caller.principalId, Account: caller.accountId, Arn: caller.arn };
  },
};
