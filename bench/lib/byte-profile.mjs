// Where a bundle's bytes come from: its minified characters attributed to source files through
// the source map. The gzip column spreads the bundle's gzip size by that share (an estimate:
// gzip works across module boundaries, so no module has a gzip size of its own).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadSourceMap } from './source-map.mjs';

/** `[{ source, bytes, share, gzipEstimate }]` largest first, or undefined when `file` has no map. */
export function bytesBySource(file) {
  const map = loadSourceMap(file);
  if (!map) return undefined;
  const code = readFileSync(file, 'utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '');
  const gzip = gzipSync(code, { level: 9 }).length;
  const totals = new Map();
  code.split('\n').forEach((text, line) => {
    const segments = map.lines[line] ?? [];
    segments.forEach(([column, source], i) => {
      const end = i + 1 < segments.length ? segments[i + 1][0] : text.length;
      const name = source >= 0 ? map.sources[source] : '(unmapped)';
      totals.set(name, (totals.get(name) ?? 0) + end - column);
    });
  });
  const all = [...totals.values()].reduce((a, b) => a + b, 0) || 1;
  return [...totals]
    .map(([source, bytes]) => ({ source, bytes, share: bytes / all, gzipEstimate: Math.round((gzip * bytes) / all) }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** The package (first path part) of a short source name: `browser/x.ts` → `browser`. */
export const packageOf = (source) => (source.includes('/') && !source.startsWith('@') ? source.split('/')[0] : source);
