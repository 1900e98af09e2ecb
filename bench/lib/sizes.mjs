// Bytes of each script-tag bundle as shipped: minified, gzip (level 9) and brotli (quality 11),
// the same measure as scripts/size.mjs (source-map comment left out).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { root } from './sdks.mjs';

function measure(buffer) {
  const code = Buffer.from(buffer.toString('utf8').replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, ''));
  return {
    bytes: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** One row per file of each scenario; missing scenarios get a "not built" row. */
export function measureSizes(scenarios) {
  const rows = [];
  for (const s of scenarios) {
    for (const f of s.sizes) {
      if (s.missing.length) {
        rows.push({ id: s.id, label: s.label, file: f.file, missing: s.missing });
        continue;
      }
      const body = f.body ?? readFileSync(resolve(root, f.file));
      rows.push({ id: s.id, label: s.label, file: f.file, note: f.note, ...measure(body) });
    }
  }
  return rows;
}
