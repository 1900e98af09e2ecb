import { describe, expect, test } from 'vitest';
import { hash128, toInsertId } from './insert-id.js';

const VALID = /^[A-Za-z0-9-]{1,36}$/;

describe('toInsertId', () => {
  test.each([
    ['5d958f87-542d-4c10-9422-0ed75893dc81'],
    ['abc'],
    ['A-1'],
    ['x'.repeat(36)],
  ])('keeps the valid id %s unchanged', (id) => {
    expect(toInsertId(id)).toBe(id);
  });

  test.each([
    ['too long', 'x'.repeat(37)],
    ['underscore', 'ajs-next-1700000000000-abc_def'],
    ['colon and dot', 'node:1.2.3'],
    ['space', 'a b'],
    ['non-ASCII', 'événement'],
    ['emoji', '🎉'],
    ['placeholder null', 'null'],
    ['placeholder 0', '0'],
    ['placeholder -1', '-1'],
    ['placeholder zero uuid', '00000000-0000-0000-0000-000000000000'],
  ])('hashes an invalid id (%s) into a valid, deterministic one', (_, id) => {
    const out = toInsertId(id);
    expect(out).toMatch(VALID);
    expect(out).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(out).not.toBe(id);
    expect(toInsertId(id)).toBe(out);
  });

  test('never truncates: ids that share a 36-char prefix or suffix stay distinct', () => {
    const prefix = 'p'.repeat(40);
    expect(toInsertId(`${prefix}-a`)).not.toBe(toInsertId(`${prefix}-b`));
    expect(toInsertId(`a-${prefix}`)).not.toBe(toInsertId(`b-${prefix}`));
  });

  test('no collisions over 50,000 similar ids, and every lane varies', () => {
    const seen = new Set<string>();
    const lanes = [new Set<string>(), new Set<string>(), new Set<string>(), new Set<string>()];
    for (let i = 0; i < 50_000; i++) {
      const h = hash128(`segment_message_${i}`);
      seen.add(h);
      for (let l = 0; l < 4; l++) lanes[l]!.add(h.slice(l * 8, l * 8 + 8));
    }
    expect(seen.size).toBe(50_000);
    for (const lane of lanes) expect(lane.size).toBeGreaterThan(49_990);
  });

  test('one changed character flips about half of the 128 bits', () => {
    const bits = (hex: string) => BigInt(`0x${hex}`);
    let total = 0;
    for (let i = 0; i < 200; i++) {
      let x = bits(hash128(`id_${i}_a`)) ^ bits(hash128(`id_${i}_b`));
      let n = 0;
      while (x) {
        n += Number(x & 1n);
        x >>= 1n;
      }
      total += n;
    }
    const mean = total / 200;
    expect(mean).toBeGreaterThan(58);
    expect(mean).toBeLessThan(70);
  });
});
