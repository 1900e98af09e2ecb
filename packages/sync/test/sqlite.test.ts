import { afterAll } from 'vitest';
import { syncContract } from './contract.js';
import { sqliteFixture } from './fixtures.js';
import { tempDir } from './helpers.js';

const temp = tempDir();
afterAll(() => temp.remove());

syncContract('SQLite', sqliteFixture(temp.dir));
