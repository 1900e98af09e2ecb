// Reads a bundle's source map far enough to say which source file a generated position came
// from: the bench's byte and main-thread profiles name Tally's modules, not minified offsets.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Per generated line, the segments `[column, sourceIndex]` in column order (sourceIndex -1: unmapped). */
export function decodeMappings(mappings) {
  let source = 0;
  return mappings.split(';').map((line) => {
    let column = 0;
    const segments = [];
    for (const segment of line.split(',')) {
      if (!segment) continue;
      const fields = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = BASE64.indexOf(char);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0];
      if (fields.length > 1) source += fields[1];
      segments.push([column, fields.length > 1 ? source : -1]);
    }
    return segments;
  });
}

/** `file`'s map (`file.map`) with short source names, or undefined when there is none. */
export function loadSourceMap(file) {
  if (!existsSync(`${file}.map`)) return undefined;
  const map = JSON.parse(readFileSync(`${file}.map`, 'utf8'));
  const base = resolve(dirname(file), map.sourceRoot ?? '');
  return { sources: map.sources.map((s) => shortSource(resolve(base, s))), lines: decodeMappings(map.mappings) };
}

/** `../../browser/src/pipeline.ts` → `browser/pipeline.ts`; `…/node_modules/idb-keyval/…` → `idb-keyval`. */
export function shortSource(path) {
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dep) return dep[1];
  const own = /(?:^|\/)([a-z-]+)\/src\/(.+)$/.exec(path);
  return own ? `${own[1]}/${own[2]}` : path;
}

/** The source index at generated (line, column), both 0-based; -1 when unmapped. */
export function sourceAt(map, line, column) {
  const segments = map.lines[line] ?? [];
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid][0] <= column) {
      found = segments[mid][1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
