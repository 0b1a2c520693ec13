/**
 * The CIS AWS Foundations Benchmark monitoring controls (v1.4+ numbering, 4.1-4.15; Security
 * Hub CloudWatch.1-14) as data: for each, the metric filter on the trail's log group, the
 * metric it counts into and the alarm on that metric. The patterns are written here from each
 * control's intent and event names (the shared detections reference, section 6.1); every one
 * parses with our parser and is tried on events that must and must not match (./cis-pack.test.ts).
 */

export const CIS_NAMESPACE = 'CISBenchmark';

/** The alarm every control uses: any occurrence within 5 minutes alarms; no data is not a breach. */
export const CIS_ALARM = {
  statistic: 'Sum',
  period: 300,
  threshold: 1,
  comparisonOperator: 'GreaterThanOrEqualToThreshold',
  evaluationPeriods: 1,
  treatMissingData: 'notBreaching',
  /** Each matching event counts 1. */
  metricValue: '1',
} as const;

export interface CisControl {
  id: string;
  title: string;
  filterName: string;
  metricName: string;
  alarmName: string;
  pattern: string;
}

function eventNameIn(names: readonly string[]): string {
  return names.map((name) => `($.eventName = ${name})`).join(' || ');
}

function control(id: string, title: string, metricName: string, pattern: string): CisControl {
  return { id, title, filterName: `CIS-${id}-${metricName}`, metricName, alarmName: `CIS-${id}-${metricName}`, pattern };
}

/**
 * 4.1 as usually copied mixes `||` and `&&` without parentheses:
 *   A || B && notDelivery && notHeadBucket
 * Under CloudWatch's precedence (`&&` binds tighter) that is A || (B && ...): the two
 * exclusions apply only to AccessDenied*, so a `*UnauthorizedOperation` from the log delivery
 * service or on HeadBucket still alarms. The intent is that the exclusions apply to both error
 * kinds, so ours groups the two errorCode tests first. The test beside this file shows both
 * readings.
 */
export const CIS_4_1_AS_COMMONLY_COPIED =
  '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }';

export const CIS_CONTROLS: readonly CisControl[] = [
  control(
    '4.1',
    'Unauthorized API calls',
    'UnauthorizedAPICalls',
    '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
  ),
  // The variant that requires an IAM user's successful sign-in: federated (SSO) sign-ins record
  // MFAUsed "No" because MFA happened at the identity provider, and would alarm on every login.
  control(
    '4.2',
    'Management console sign-in without MFA',
    'ConsoleSigninWithoutMFA',
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  ),
  control('4.3', 'Usage of the root account', 'RootAccountUsage', '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'),
  control(
    '4.4',
    'IAM policy changes',
    'IAMPolicyChanges',
    `{ ${eventNameIn([
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ])} }`,
  ),
  control('4.5', 'CloudTrail configuration changes', 'CloudTrailChanges', `{ ${eventNameIn(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'])} }`),
  control('4.6', 'Management console authentication failures', 'ConsoleSigninFailures', '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'),
  control('4.7', 'Disabling or scheduled deletion of customer-created KMS keys', 'DisableOrDeleteCMK', '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }'),
  control(
    '4.8',
    'S3 bucket policy changes',
    'S3BucketPolicyChanges',
    `{ ($.eventSource = s3.amazonaws.com) && (${eventNameIn([
      'PutBucketAcl',
      'PutBucketPolicy',
      'PutBucketCors',
      'PutBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketPolicy',
      'DeleteBucketCors',
      'DeleteBucketLifecycle',
      'DeleteBucketReplication',
    ])}) }`,
  ),
  control(
    '4.9',
    'AWS Config configuration changes',
    'AWSConfigChanges',
    `{ ($.eventSource = config.amazonaws.com) && (${eventNameIn(['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'])}) }`,
  ),
  // ModifySecurityGroupRules (newer lists have it) changes rules without the Authorize/Revoke calls.
  control(
    '4.10',
    'Security group changes',
    'SecurityGroupChanges',
    `{ ${eventNameIn(['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules'])} }`,
  ),
  control(
    '4.11',
    'Network ACL changes',
    'NACLChanges',
    `{ ${eventNameIn(['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'])} }`,
  ),
  control(
    '4.12',
    'Network gateway changes',
    'NetworkGatewayChanges',
    `{ ${eventNameIn(['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'])} }`,
  ),
  control(
    '4.13',
    'Route table changes',
    'RouteTableChanges',
    `{ ($.eventSource = ec2.amazonaws.com) && (${eventNameIn(['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'])}) }`,
  ),
  control(
    '4.14',
    'VPC changes',
    'VPCChanges',
    `{ ${eventNameIn([
      'CreateVpc',
      'DeleteVpc',
      'ModifyVpcAttribute',
      'AcceptVpcPeeringConnection',
      'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection',
      'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc',
      'DetachClassicLinkVpc',
      'DisableVpcClassicLink',
      'EnableVpcClassicLink',
    ])} }`,
  ),
  control(
    '4.15',
    'AWS Organizations changes',
    'OrganizationsChanges',
    `{ ($.eventSource = organizations.amazonaws.com) && (${eventNameIn([
      'AcceptHandshake',
      'AttachPolicy',
      'CreateAccount',
      'CreateOrganizationalUnit',
      'CreatePolicy',
      'DeclineHandshake',
      'DeleteOrganization',
      'DeleteOrganizationalUnit',
      'DeletePolicy',
      'DetachPolicy',
      'DisablePolicyType',
      'EnablePolicyType',
      'InviteAccountToOrganization',
      'LeaveOrganization',
      'MoveAccount',
      'RemoveAccountFromOrganization',
      'UpdatePolicy',
      'UpdateOrganizationalUnit',
    ])}) }`,
  ),
];
