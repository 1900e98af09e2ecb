// Shared Playwright fixtures: one examples server per worker (built bundles only, e2e pages under
// /e2e/), baseURL pointed at it, and every test failing on page errors or console errors.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type ConsoleMessage } from '@playwright/test';
import type { QueuedCall } from '@tally/browser';

interface ExamplesServer {
  url: string;
  close(): Promise<void>;
}
interface ServeModule {
  startExamplesServer(options: { port?: number; mounts?: Array<[string, string]> }): Promise<ExamplesServer>;
}

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const BUILT = ['packages/browser/dist/tally.min.js', 'packages/browser/dist/snippet.min.js', 'packages/browser/dist/index.js', 'packages/core/dist/index.js'];

/** A message as the recorder destination keeps it. */
export type Recorded = { type: string; [key: string]: unknown };

/** Playwright's `test` with the examples server, its baseURL and the page-error check. */
export const test = base.extend<
  { allowedConsoleErrors: RegExp[]; pageErrors: string[] },
  { server: ExamplesServer }
>({
  server: [
    async ({}, use) => {
      const missing = BUILT.filter((file) => !existsSync(repo(file)));
      if (missing.length) throw new Error(`[tally] e2e runs the built bundles; missing ${missing.join(', ')}: run \`npm run build\``);
      // scripts/ is plain JS without declarations; this cast is its one typed edge.
      const serve = (await import(new URL('../scripts/serve-examples.mjs', import.meta.url).href)) as ServeModule;
      const server = await serve.startExamplesServer({ port: 0, mounts: [['/e2e/', repo('e2e/fixtures')]] });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ server }, use) => use(server.url),
  allowedConsoleErrors: [[], { option: true }],
  pageErrors: [
    async ({ context, allowedConsoleErrors }, use) => {
      const errors: string[] = [];
      context.on('weberror', (error) => errors.push(`pageerror: ${error.error().message}`));
      context.on('console', (message: ConsoleMessage) => {
        if (message.type() !== 'error') return;
        const where = message.location().url;
        const text = where ? `${message.text()} (${where})` : message.text();
        if (!allowedConsoleErrors.some((pattern) => pattern.test(text))) errors.push(`console.error: ${text}`);
      });
      await use(errors);
      expect(errors, 'page errors and console errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** What the e2e pages expose on `window` (the snippet stub or the client, and the recorder). */
export type E2EWindow = Window & {
  tally: TallyInPage;
  recorded: Recorded[];
};

/** The calls the tests make on `window.tally`, stub or client. */
export interface TallyInPage {
  /** The stub's queue (snippet-protocol.ts); absent once the client is installed. */
  _q?: QueuedCall[];
  load(writeKey: string, settings?: object): void;
  track(event: string, properties?: object): void;
  page(...args: unknown[]): void;
  identify(userId: string, traits?: object): void;
  group(): { id(): string | null; traits(): object };
  group(groupId: string, traits?: object): void;
  user(): { id(): string | null; anonymousId(): string | null; traits(): object };
  reset(): void;
  ready(callback?: () => void): unknown;
  addDestination(destination: unknown): void;
}
