/** Who made a request, as resolved from its access key. */
export interface Caller {
  type: 'IAMUser';
  accountId: string;
  userName: string;
  principalId: string;
  arn: string;
  accessKeyId: string;
}
