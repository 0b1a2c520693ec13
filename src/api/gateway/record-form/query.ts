/**
 * Query (SNS, and any awsquery service) and EC2 protocol calls as CloudTrail records them.
 *
 * requestParameters: the form body (or, for a GET, the query string) less `Action` and
 * `Version`, folded from dotted names into nested members with lowerCamelCase names:
 *
 * - EC2 (CloudTrail's EC2 form): a list `Name.N` becomes `{ items: [...] }` under the list's
 *   CloudTrail name, which is EC2_LISTS[Name] or `nameSet`; a list of plain values wraps each in
 *   `{ <item member>: value }` (`InstanceId.1=i-1` → `instancesSet: { items: [{ instanceId: 'i-1' }] }`,
 *   `Filter.1.Name`/`Filter.1.Value.1` → `filterSet: { items: [{ name, valueSet: { items: [{ value }] }}] }`).
 *   `TagSpecification.N.Tag.M` become a plain `tags` array, as real records have it. RunInstances'
 *   ImageId/MinCount/MaxCount go into `instancesSet.items[0]`. The empty lists CloudTrail writes
 *   for a few common calls (`filterSet: {}`) are added from EC2_EMPTY_LISTS; other calls get
 *   only the lists that were sent. Values are strings but for the members named in
 *   EC2_NUMBERS/EC2_BOOLEANS (the model's types are not at hand); `UserData` is
 *   `<sensitiveDataRemoved>`.
 * - Query: a plain nested form: `member`/`entry` segments are dropped, numbered segments make
 *   arrays (`Tags.member.1.Key` → `tags: [{ key }]`), other segments objects.
 *
 * responseElements: null for read-only and failed calls. EC2 writes record the XML answer in
 * CloudTrail's form (`requestId`, `_return` for `<return>`, `{ items }` for `<item>` lists, the
 * same typed members, `*Time` as epoch milliseconds). Query writes record the `<…Result>`
 * element's members in the plain form, or null when it has none.
 *
 * errors: EC2 `<Response><Errors><Error><Code>` (recorded as `Client.<Code>`, `Server.<Code>` for
 * 5xx, as CloudTrail writes EC2 errors); Query `<ErrorResponse><Error><Code>`. requestId from
 * `<RequestID>`/`<RequestId>`/`<requestId>`, else the `x-amzn-RequestId` header.
 */
import type { ForwardedCall, RecordForm, UpstreamError } from '../contract.js';
import type { RecordFacts } from './shared.js';
import { baseForm, failed, header, lowerFirst, MAX_QUERY_PARAMS, queryParams, statusCode } from './shared.js';
import type { XmlElement } from './xml.js';
import { childOf, childText, parseXml } from './xml.js';

/** EC2 list parameters whose CloudTrail name is not `<name>Set`: [list name, item member of plain values]. */
export const EC2_LISTS: Readonly<Record<string, readonly [string, string]>> = {
  InstanceId: ['instancesSet', 'instanceId'],
  ImageId: ['imagesSet', 'imageId'],
  Owner: ['ownersSet', 'owner'],
  ExecutableBy: ['executableBySet', 'user'],
  VolumeId: ['volumeSet', 'volumeId'],
  SubnetId: ['subnetSet', 'subnetId'],
  VpcId: ['vpcSet', 'vpcId'],
  GroupName: ['securityGroupSet', 'groupName'],
  GroupId: ['securityGroupIdSet', 'groupId'],
  SecurityGroupId: ['groupSet', 'groupId'],
  SecurityGroup: ['groupSet', 'groupName'],
  ResourceId: ['resourcesSet', 'resourceId'],
  Tag: ['tagSet', 'tag'],
  RegionName: ['regionSet', 'regionName'],
  ZoneName: ['availabilityZoneSet', 'zoneName'],
  SnapshotId: ['snapshotSet', 'snapshotId'],
  KeyName: ['keySet', 'keyName'],
  AllocationId: ['allocationIdsSet', 'allocationId'],
  PublicIp: ['publicIpsSet', 'publicIp'],
  NetworkInterfaceId: ['networkInterfaceIdSet', 'networkInterfaceId'],
  RouteTableId: ['routeTableIdSet', 'routeTableId'],
  InternetGatewayId: ['internetGatewayIdSet', 'internetGatewayId'],
  NatGatewayId: ['natGatewayIdSet', 'natGatewayId'],
  AttributeName: ['accountAttributeNameSet', 'attributeName'],
  IpPermissions: ['ipPermissions', 'ipPermission'],
  IpRanges: ['ipRanges', 'cidrIp'],
  Ipv6Ranges: ['ipv6Ranges', 'cidrIpv6'],
  PrefixListIds: ['prefixListIds', 'prefixListId'],
  Groups: ['groups', 'groupId'],
  UserIdGroupPairs: ['groups', 'groupId'],
  BlockDeviceMapping: ['blockDeviceMapping', 'deviceName'],
  NetworkInterface: ['networkInterfaceSet', 'networkInterface'],
  Value: ['valueSet', 'value'],
};

/** The lists CloudTrail writes as `{}` when a common call did not send them. */
export const EC2_EMPTY_LISTS: Readonly<Record<string, readonly string[]>> = {
  DescribeInstances: ['filterSet', 'instancesSet'],
  DescribeInstanceStatus: ['instancesSet', 'filterSet'],
  DescribeSecurityGroups: ['securityGroupSet', 'securityGroupIdSet', 'filterSet'],
  DescribeVolumes: ['volumeSet', 'filterSet'],
  DescribeSubnets: ['subnetSet', 'filterSet'],
  DescribeVpcs: ['vpcSet', 'filterSet'],
  DescribeImages: ['executableBySet', 'imagesSet', 'ownersSet', 'filterSet'],
  DescribeSnapshots: ['snapshotSet', 'ownersSet', 'restorableBySet', 'filterSet'],
  DescribeRegions: ['regionSet'],
  DescribeAvailabilityZones: ['availabilityZoneSet', 'availabilityZoneIdSet'],
  DescribeKeyPairs: ['keySet', 'filterSet'],
  RunInstances: ['blockDeviceMapping'],
  AuthorizeSecurityGroupIngress: ['ipPermissions'],
  AuthorizeSecurityGroupEgress: ['ipPermissions'],
};

/** Members (CloudTrail names) recorded as numbers and booleans. */
export const EC2_NUMBERS: ReadonlySet<string> = new Set(['minCount', 'maxCount', 'fromPort', 'toPort', 'deviceIndex', 'maxResults', 'code', 'amiLaunchIndex', 'iops', 'throughput', 'availableIpAddressCount', 'ruleNumber', 'volumeSize']);
export const EC2_BOOLEANS: ReadonlySet<string> = new Set([
  'dryRun', 'force', 'includeAllInstances', 'allRegions', 'disableApiTermination', 'disableApiStop', 'ebsOptimized', 'deleteOnTermination',
  'enabled', 'encrypted', 'amazonProvidedIpv6CidrBlock', 'configured', 'reportVolumeFailure', 'isEgress', 'multiAttachEnabled', 'egress',
  'isDefault', 'mapPublicIpOnLaunch', 'defaultForAz', 'sourceDestCheck', 'noReboot', 'associatePublicIpAddress', '_return',
]);

const SENSITIVE_EC2 = new Set(['UserData']);
/**
 * Query members never recorded: what a message says (SNS Publish and PublishBatch entries:
 * Message, Subject, and the values of MessageAttributes), at any depth.
 */
const SENSITIVE_QUERY: ReadonlySet<string> = new Set(['Message', 'Subject', 'MessageAttributes']);

// -- the dotted form, as a tree --------------------------------------------------------------

interface Tree {
  [segment: string]: Tree | string;
}

function formParams(call: ForwardedCall): [string, string][] {
  const body = call.request.body;
  const text = body !== undefined && body.length > 0 ? body.subarray(0, 1024 * 1024).toString('utf8') : call.request.query;
  return queryParams(text).filter(([name]) => name !== 'Action' && name !== 'Version');
}

/** `A.1.B=x` → `{ A: { 1: { B: 'x' } } }`; a name that is both a value and a prefix keeps the value. */
function treeOf(params: [string, string][]): Tree {
  const root: Tree = Object.create(null) as Tree;
  for (const [name, value] of params.slice(0, MAX_QUERY_PARAMS)) {
    const segments = name.split('.').slice(0, 12);
    let at: Tree = root;
    for (const [i, segment] of segments.entries()) {
      if (i === segments.length - 1) {
        if (at[segment] === undefined) at[segment] = value;
        break;
      }
      const next = at[segment];
      if (typeof next === 'string') break;
      if (next === undefined) at = at[segment] = Object.create(null) as Tree;
      else at = next;
    }
  }
  return root;
}

function isList(tree: Tree): boolean {
  const keys = Object.keys(tree);
  return keys.length > 0 && keys.every((key) => /^\d{1,5}$/.test(key));
}

function listItems(tree: Tree): (Tree | string)[] {
  return Object.keys(tree)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => tree[key]!);
}

function typed(name: string, value: string): unknown {
  if (EC2_NUMBERS.has(name) && /^-?\d{1,15}$/.test(value)) return Number(value);
  if (EC2_BOOLEANS.has(name) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function ec2Members(tree: Tree, depth = 0): Record<string, unknown> {
  const out: [string, unknown][] = [];
  for (const [wire, value] of Object.entries(tree)) {
    const name = lowerFirst(wire);
    if (SENSITIVE_EC2.has(wire)) {
      out.push([name, '<sensitiveDataRemoved>']);
    } else if (typeof value === 'string') {
      out.push([name, typed(name, value)]);
    } else if (wire === 'Tag' && depth > 0) {
      // Inside TagSpecification: a plain array, as real records have it.
      out.push(['tags', listItems(value).map((item) => (typeof item === 'string' ? item : ec2Members(item, depth + 1)))]);
    } else if (isList(value)) {
      const [listName, itemName] = EC2_LISTS[wire] ?? [`${name}Set`, name];
      const items = listItems(value).map((item) => (typeof item === 'string' ? { [itemName]: typed(itemName, item) } : ec2Members(item, depth + 1)));
      out.push([listName, { items }]);
    } else if (depth < 10) {
      out.push([name, ec2Members(value, depth + 1)]);
    }
  }
  return Object.fromEntries(out);
}

function ec2RequestParameters(call: ForwardedCall, operation: string | undefined): Record<string, unknown> {
  const members = ec2Members(treeOf(formParams(call)));
  if (operation === 'RunInstances') {
    const instance = Object.fromEntries(['imageId', 'minCount', 'maxCount'].filter((name) => name in members).map((name) => [name, members[name]]));
    for (const name of ['imageId', 'minCount', 'maxCount']) delete members[name];
    if (Object.keys(instance).length > 0) members.instancesSet = { items: [instance] };
  }
  for (const list of (operation !== undefined && EC2_EMPTY_LISTS[operation]) || []) {
    if (!Object.hasOwn(members, list)) members[list] = {};
  }
  return members;
}

function queryMembers(tree: Tree, depth = 0): unknown {
  const entries = Object.entries(tree).filter(([segment]) => segment !== 'member' && segment !== 'entry' && !SENSITIVE_QUERY.has(segment));
  // `Tags.member.1` and `Attributes.entry.1`: the wrapper segment is dropped.
  const wrapped = tree.member ?? tree.entry;
  if (wrapped !== undefined && entries.length === 0) return typeof wrapped === 'string' ? wrapped : queryMembers(wrapped, depth + 1);
  if (isList(tree)) return listItems(tree).map((item) => (typeof item === 'string' || depth > 10 ? item : queryMembers(item, depth + 1)));
  return Object.fromEntries(entries.map(([name, value]) => [lowerFirst(name), typeof value === 'string' || depth > 10 ? value : queryMembers(value, depth + 1)]));
}

// -- answers ---------------------------------------------------------------------------------

function ec2Value(element: XmlElement, depth: number): unknown {
  const name = element.name === 'return' ? '_return' : element.name;
  if (element.children.length === 0) {
    const text = element.text.trim();
    if (text === '' && name.endsWith('Set')) return {};
    if (name.endsWith('Time') && /^\d{4}-\d\d-\d\dT/.test(text)) {
      const ms = Date.parse(text);
      if (!Number.isNaN(ms)) return ms;
    }
    return typed(name, text);
  }
  if (depth > 20) return undefined;
  if (element.children.every((child) => child.name === 'item')) return { items: element.children.map((child) => ec2Value(child, depth + 1)) };
  return Object.fromEntries(element.children.map((child) => [child.name === 'return' ? '_return' : child.name, ec2Value(child, depth + 1)]));
}

function queryValue(element: XmlElement, depth: number): unknown {
  if (element.children.length === 0) return element.text.trim();
  if (depth > 20) return undefined;
  if (element.children.every((child) => child.name === 'member')) return element.children.map((child) => queryValue(child, depth + 1));
  if (element.children.every((child) => child.name === 'entry')) return element.children.map((child) => queryValue(child, depth + 1));
  return Object.fromEntries(element.children.map((child) => [lowerFirst(child.name), queryValue(child, depth + 1)]));
}

function responseElements(call: ForwardedCall, ec2: boolean, readOnly: boolean): Record<string, unknown> | null {
  if (readOnly || call.response === undefined || failed(call)) return null;
  const root = parseXml(call.response.body);
  if (root === undefined) return null;
  if (ec2) return ec2Value(root, 0) as Record<string, unknown>;
  const result = root.children.find((child) => child.name.endsWith('Result'));
  if (result === undefined || result.children.length === 0) return null;
  return queryValue(result, 0) as Record<string, unknown>;
}

function queryError(call: ForwardedCall, ec2: boolean): { error?: UpstreamError; bodyRequestId?: string } {
  const root = parseXml(call.response?.body);
  const bodyRequestId = childText(root, 'RequestID') ?? childText(root, 'RequestId') ?? childText(root, 'requestId') ?? childText(root, 'ResponseMetadata', 'RequestId');
  if (!failed(call)) return { bodyRequestId };
  const status = call.response!.status;
  const error = root?.name === 'Response' ? childOf(childOf(root, 'Errors'), 'Error') : childOf(root, 'Error');
  const code = childText(error, 'Code');
  if (code === undefined || code === '') return { error: { code: statusCode(status), message: '' }, bodyRequestId };
  const recorded = ec2 && !/^(Client|Server)\./.test(code) ? `${status >= 500 ? 'Server' : 'Client'}.${code}` : code;
  return { error: { code: recorded, message: childText(error, 'Message') ?? '' }, bodyRequestId };
}

export function queryRecordForm(call: ForwardedCall, facts: RecordFacts): RecordForm {
  const ec2 = call.model.protocol === 'ec2';
  const operation = call.matched?.operation ?? actionOf(call);
  const requestParameters = ec2 ? ec2RequestParameters(call, operation) : (queryMembers(treeOf(formParams(call))) as Record<string, unknown>);
  const { error, bodyRequestId } = queryError(call, ec2);
  const requestId = bodyRequestId ?? header(call.response?.headers, 'x-amzn-requestid');
  return {
    ...baseForm(facts),
    requestParameters: Object.keys(requestParameters).length > 0 ? requestParameters : null,
    responseElements: responseElements(call, ec2, facts.readOnly),
    resources: [],
    ...(error !== undefined && { error }),
    ...(requestId !== undefined && { requestId }),
  };
}

function actionOf(call: ForwardedCall): string | undefined {
  const body = call.request.body;
  const text = body !== undefined && body.length > 0 ? body.subarray(0, 1024 * 1024).toString('utf8') : call.request.query;
  return queryParams(text).find(([name]) => name === 'Action')?.[1];
}
