#!/usr/bin/env node
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SyncError } from './errors.js';
import { loadSyncConfig } from './load-config.js';
import { redactText } from './redact.js';
import { formatProgress, formatSummary } from './report.js';
import { runSync } from './run-sync.js';

const USAGE = `Usage: tally sync --config sync.yaml [--source URL] [--dry-run] [--full] [--json] [--only NAME]

Sends rows of SQL queries to Mixpanel as events, user profiles and group profiles; each run
sends only what changed since the last one.

  --config, -c   the sync config (YAML or JSON)
  --source       the source URL (sqlite:path, postgres://user:password@host/db); wins over
                 TALLY_SYNC_SOURCE and the file
  --dry-run      map and compare, print the first records and the counts; send nothing
  --full         ignore the state and send every record
  --json         print the report as JSON
  --only NAME    run only this sync (repeatable)

Environment (wins over the file): TALLY_SYNC_SOURCE, TALLY_SYNC_STATE, MIXPANEL_TOKEN,
MIXPANEL_API_SECRET, MIXPANEL_SERVICE_ACCOUNT_USERNAME, MIXPANEL_SERVICE_ACCOUNT_SECRET,
MIXPANEL_PROJECT_ID, MIXPANEL_REGION, MIXPANEL_API_URL.

Exit status: 0 all records delivered, 1 some records failed, 2 the sync could not run.`;

/** A `sqlite:` path given on the command line is relative to the working directory, not the config file. */
function fromCwd(url: string): string {
  const match = /^sqlite:(\/\/)?(.*)$/.exec(url);
  return match && !isAbsolute(match[2]!) ? `sqlite:${resolve(match[2]!)}` : url;
}

async function main(argv: string[]): Promise<number> {
  const args = argv[0] === 'sync' ? argv.slice(1) : argv;
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      source: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.config) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  if (values.source) env.TALLY_SYNC_SOURCE = fromCwd(values.source);
  else if (env.TALLY_SYNC_SOURCE) env.TALLY_SYNC_SOURCE = fromCwd(env.TALLY_SYNC_SOURCE);
  const config = loadSyncConfig(values.config, { env });
  const tty = process.stderr.isTTY && !values.json;
  let last = 0;
  const report = await runSync(config, {
    dryRun: values['dry-run'],
    full: values.full,
    ...(values.only && { only: values.only }),
    onProgress: (p) => {
      // A quarter-second is often enough to read and rare enough to cost nothing.
      if (!tty || Date.now() - last < 250) return;
      last = Date.now();
      process.stderr.write(`\r\x1b[2K${formatProgress(p)}`);
    },
  });
  if (tty) process.stderr.write('\r\x1b[2K');
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    for (const s of report.syncs) {
      for (const record of s.preview ?? []) console.log(`${s.name}: ${JSON.stringify(record)}`);
    }
    console.log(formatSummary(report));
  }
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // SyncError texts are redacted where they are made; anything else is redacted here.
    const text = error instanceof SyncError ? error.message : redactText(String((error as Error)?.stack ?? error));
    console.error(`tally sync: ${text}`);
    process.exitCode = 2;
  },
);
