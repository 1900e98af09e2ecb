import { isIP } from 'node:net';

/** A parsed trusted-proxy list: exact addresses and CIDR ranges, IPv4 and IPv6. */
export type IpMatcher = (ip: string) => boolean;

const V4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

function v4Bits(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

/** IPv6 text → eight 16-bit groups (`::` expanded, an embedded dotted IPv4 tail as two groups). */
function v6Groups(ip: string): number[] {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) {
    const v4 = Number(v4Bits(dotted[1]!));
    ip = `${ip.slice(0, -dotted[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = ip.split('::');
  const parse = (s: string) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function toBigInt(ip: string): { bits: bigint; v6: boolean } | undefined {
  const mapped = V4_MAPPED.exec(ip);
  if (mapped) ip = mapped[1]!;
  const version = isIP(ip);
  if (version === 4) return { bits: v4Bits(ip), v6: false };
  if (version === 6) return { bits: v6Groups(ip).reduce((acc, g) => (acc << 16n) | BigInt(g), 0n), v6: true };
  return undefined;
}

/** Parses trusted proxies (`10.0.0.0/8`, `192.168.1.5`, `::1`, `fd00::/8`); throws naming a bad entry. */
export function parseTrustedProxies(entries: string[]): IpMatcher {
  const ranges = entries.map((entry) => {
    const [addr, prefixText] = entry.trim().split('/') as [string, string | undefined];
    const parsed = toBigInt(addr);
    if (!parsed) throw new Error(`"${entry}" is not an IP address or CIDR range`);
    const width = parsed.v6 ? 128 : 32;
    const prefix = prefixText === undefined ? width : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) throw new Error(`"${entry}" has an invalid prefix length`);
    const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
    return { v6: parsed.v6, mask, net: parsed.bits & mask };
  });
  return (ip) => {
    const parsed = toBigInt(ip);
    return !!parsed && ranges.some((r) => r.v6 === parsed.v6 && (parsed.bits & r.mask) === r.net);
  };
}

/** Strips an IPv4-mapped IPv6 prefix (`::ffff:1.2.3.4` → `1.2.3.4`), as Mixpanel wants plain IPv4. */
export function normalizeIp(ip: string): string {
  const mapped = V4_MAPPED.exec(ip);
  return mapped ? mapped[1]! : ip;
}

/**
 * The client's address: the connection's peer, unless that peer is a trusted proxy, in which case
 * `X-Forwarded-For` is walked from the right past trusted proxies to the first address that is not
 * one (entries further left are client-controlled and never believed).
 */
export function clientIp(remote: string | undefined, forwardedFor: string | null, trusted: IpMatcher): string | undefined {
  let ip = remote ? normalizeIp(remote) : undefined;
  if (!ip || !trusted(ip) || !forwardedFor) return ip;
  const hops = forwardedFor.split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]!);
    if (!isIP(hop)) return ip;
    ip = hop;
    if (!trusted(hop)) return hop;
  }
  return ip;
}
