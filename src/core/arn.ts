/** ARN builders and checks for the resources OpenTrail knows. */

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

export function userArn(accountId: string, userName: string): string {
  return `arn:aws:iam::${accountId}:user/${userName}`;
}

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID_PATTERN.test(value);
}
