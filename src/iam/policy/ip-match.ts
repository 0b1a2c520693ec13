/**
 * Address ranges for IpAddress / NotIpAddress: IPv4 and IPv6 CIDRs and single addresses. A
 * source address written as IPv4-mapped IPv6 (`::ffff:192.0.2.1`, as a dual-stack socket reports
 * IPv4 callers) is compared as the IPv4 address it is. IPv4 sources never fall in IPv6 ranges nor
 * the other way round, so `::/0` does not quietly cover every IPv4 caller.
 */
import { BlockList, isIP } from 'node:net';

export interface AddressRange {
  readonly family: 'ipv4' | 'ipv6';
  readonly list: BlockList;
}

const PREFIX = /^\d{1,3}$/;
const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** `10.0.0.0/8`, `2001:db8::/32`, or one address; undefined when it is neither. */
export function parseAddressRange(text: string): AddressRange | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const bits = version === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const written = text.slice(slash + 1);
    if (!PREFIX.test(written)) return undefined;
    prefix = Number(written);
    if (prefix > bits) return undefined;
  }
  const list = new BlockList();
  // BlockList masks the host bits itself, so 10.0.0.1/24 means 10.0.0.0/24, as in IAM.
  list.addSubnet(address, prefix, family);
  return { family, list };
}

/** Whether `source` (a caller's address as the server saw it) lies in `range`. */
export function addressInRange(source: string, range: AddressRange): boolean {
  const normalized = normalizeSource(source);
  if (normalized === undefined || normalized.family !== range.family) return false;
  return range.list.check(normalized.address, normalized.family);
}

function normalizeSource(source: string): { address: string; family: 'ipv4' | 'ipv6' } | undefined {
  const mapped = MAPPED_IPV4.exec(source);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) return { address: mapped[1], family: 'ipv4' };
  const version = isIP(source);
  if (version === 0) return undefined;
  return { address: source, family: version === 4 ? 'ipv4' : 'ipv6' };
}
