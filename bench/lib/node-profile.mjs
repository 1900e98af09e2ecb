// Where the proxy's CPU goes by function: a short extra run of the 1-process SQLite proxy under
// `node --cpu-prof` (one profile per thread: the ingest main thread and the delivery thread),
// self time grouped by package and function. Profiling slows the proxy, so this run's rate is
// not reported; it only says where the time goes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfTimeByGroup } from './main-thread-profile.mjs';

/** `file:///…/packages/mixpanel/dist/index.js` → `@tally/mixpanel`; node internals and deps by name. */
function area(url) {
  if (!url) return 'native';
  const own = /packages\/([a-z-]+)\/dist\//.exec(url);
  if (own) return `@tally/${own[1]}`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1];
  if (url.startsWith('node:')) return url.replace(/^node:internal\//, 'node:').split('/').slice(0, 2).join('/');
  return url.split('/').at(-1);
}

const nameFrame = ({ functionName, url }) =>
  functionName.startsWith('(') ? functionName : `${area(url)} ${functionName || '(anonymous)'}`;

/**
 * Reads every `.cpuprofile` in `dir` (one per thread) and returns, per thread, the total sampled ms
 * and the top `n` groups; the thread with the most samples first (the ingest main thread).
 */
export function summarizeProfiles(dir, n = 12) {
  const threads = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => {
      const groups = selfTimeByGroup(JSON.parse(readFileSync(join(dir, f), 'utf8')), nameFrame);
      return { file: f, totalMs: groups.reduce((t, g) => t + g.ms, 0), groups };
    })
    .sort((a, b) => b.totalMs - a.totalMs);
  return threads.map((t) => ({ ...t, groups: t.groups.slice(0, n) }));
}
