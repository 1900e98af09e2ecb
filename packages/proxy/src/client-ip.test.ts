import { describe, expect, it } from 'vitest';
import { clientIp, normalizeIp, parseTrustedProxies } from './client-ip.js';

describe('parseTrustedProxies', () => {
  it('matches exact addresses and CIDR ranges, v4 and v6', () => {
    const trusted = parseTrustedProxies(['10.0.0.0/8', '192.168.1.5', 'fd00::/8', '::1']);
    expect(trusted('10.1.2.3')).toBe(true);
    expect(trusted('11.0.0.1')).toBe(false);
    expect(trusted('192.168.1.5')).toBe(true);
    expect(trusted('192.168.1.6')).toBe(false);
    expect(trusted('fd12:3456::1')).toBe(true);
    expect(trusted('fe80::1')).toBe(false);
    expect(trusted('::1')).toBe(true);
    expect(trusted('::ffff:10.9.9.9')).toBe(true);
    expect(trusted('not-an-ip')).toBe(false);
    const nat64 = parseTrustedProxies(['64:ff9b::/96']);
    expect(nat64('64:ff9b::192.0.2.1')).toBe(true);
    expect(nat64('64:ff9c::192.0.2.1')).toBe(false);
  });
  it('names a bad entry', () => {
    expect(() => parseTrustedProxies(['10.0.0.0/33'])).toThrow('"10.0.0.0/33" has an invalid prefix length');
    expect(() => parseTrustedProxies(['proxy.local'])).toThrow('"proxy.local" is not an IP address');
  });
});

describe('clientIp', () => {
  const trusted = parseTrustedProxies(['10.0.0.0/8']);
  it('uses the socket address when the peer is not a trusted proxy', () => {
    expect(clientIp('203.0.113.9', '1.2.3.4', trusted)).toBe('203.0.113.9');
  });
  it('walks X-Forwarded-For from the right past trusted proxies', () => {
    expect(clientIp('10.0.0.1', '6.6.6.6, 198.51.100.7, 10.0.0.2', trusted)).toBe('198.51.100.7');
  });
  it('keeps the proxy address when X-Forwarded-For is absent or garbage', () => {
    expect(clientIp('10.0.0.1', null, trusted)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', 'garbage', trusted)).toBe('10.0.0.1');
  });
  it('normalises IPv4-mapped IPv6', () => {
    expect(normalizeIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientIp('::ffff:203.0.113.9', null, trusted)).toBe('203.0.113.9');
  });
});
