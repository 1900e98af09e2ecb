// `npm test`: types, build, unit tests (with size budgets), then e2e in real Chromium.
// Ends with one line `N passed, N failed` summed from vitest's and Playwright's JSON reports,
// so a run that executed nothing is visible.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const npx = (args, env = {}) =>
  spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

let failedStep = '';
if (spawnSync(process.execPath, ['scripts/typecheck.mjs'], { stdio: 'inherit' }).status !== 0) failedStep ||= 'typecheck';
if (npx(['rollup', '-c', 'rollup.config.mjs', '--silent']) !== 0) failedStep ||= 'build';
const unit = npx(['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json']);
const e2e = npx(['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: 'reports/playwright.json' });

const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};
let passed = 0;
let failed = 0;
const vitest = readJson('reports/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
} else failed += 1;
const playwright = readJson('reports/playwright.json');
if (playwright) {
  passed += playwright.stats.expected + playwright.stats.flaky;
  failed += playwright.stats.unexpected;
} else failed += 1;

if (failedStep) console.error(`step failed: ${failedStep}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedStep || unit !== 0 || e2e !== 0 || failed > 0 ? 1 : 0);
