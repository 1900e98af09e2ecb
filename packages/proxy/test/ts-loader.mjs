// `--import` this file to let a worker thread load the TypeScript sources the tests run (Node 20
// has no type stripping): the delivery thread's entry is `src/delivery-thread.ts` under vitest.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
