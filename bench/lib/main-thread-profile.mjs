// Where main-thread time goes in a steady session: a V8 CPU profile (CDP Profiler, 100 µs
// sampling) grouped by where each sample's own (self) time was spent: Tally source files (via
// the bundles' source maps), native functions (JSON, IndexedDB, fetch bindings…), garbage
// collection, and "(program)": the browser's own work outside JavaScript (IndexedDB and network
// plumbing, timers, task scheduling). It explains the "main thread per event" figure; the
// figure itself comes from TaskDuration in the unprofiled session, since profiling slows pages.
import { basename } from 'node:path';
import { loadSourceMap, sourceAt } from './source-map.mjs';

/** `bundles`: local files of the scenario's scripts (their maps name the sources). */
export function createFrameNamer(bundles, pageOrigin) {
  const maps = new Map(bundles.map((file) => [basename(file), loadSourceMap(file)]));
  return ({ functionName, url, lineNumber, columnNumber }) => {
    if (functionName === '(program)') return '(program): browser work outside JS';
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (!url) return `native ${functionName || '(anonymous)'}`;
    const map = maps.get(basename(new URL(url).pathname));
    if (map) {
      const source = sourceAt(map, lineNumber, columnNumber);
      return `Tally ${source >= 0 ? map.sources[source] : basename(url)}`;
    }
    if (url.startsWith(pageOrigin)) return 'bench page (harness)';
    return basename(new URL(url).pathname);
  };
}

/** Self time per group, ms, largest first; idle and the root are left out. */
export function selfTimeByGroup(profile, nameFrame) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map();
  let t = profile.startTime;
  const stamps = profile.timeDeltas.map((d) => (t += d));
  stamps.push(profile.endTime);
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)' || frame.functionName === '(root)') return;
    const group = nameFrame(frame);
    totals.set(group, (totals.get(group) ?? 0) + (stamps[i + 1] - stamps[i]) / 1000);
  });
  return [...totals].map(([group, ms]) => ({ group, ms })).sort((a, b) => b.ms - a.ms);
}

/** Starts sampling on a CDP session; `stop()` resolves the profile. */
export async function startProfiler(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return { stop: async () => (await cdp.send('Profiler.stop')).profile };
}
