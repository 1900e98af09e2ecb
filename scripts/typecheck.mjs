// Type-checks each package under its own lib settings (core and mixpanel without DOM or Node
// types), then every test file, so a runtime API used in the wrong package fails here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const tsc = 'node_modules/typescript/bin/tsc';
const projects = readdirSync('packages')
  .map((dir) => `packages/${dir}/tsconfig.json`)
  .filter((file) => existsSync(file));
const failed = [];
for (const project of [...projects, 'tsconfig.tests.json']) {
  process.stdout.write(`tsc -p ${project}\n`);
  const { status } = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit'], { stdio: 'inherit' });
  if (status !== 0) failed.push(project);
}
if (failed.length) {
  console.error(`type errors in: ${failed.join(', ')}`);
  process.exit(1);
}
