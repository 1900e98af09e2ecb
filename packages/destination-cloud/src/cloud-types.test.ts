import { expect, test } from 'vitest';
import { createAnalytics, type AnalyticsSettings, type BrowserDestination } from '@tally/browser';
import { createCloudDestination } from '@tally/destination-cloud';

test('the cloud destination is a browser destination and fits the client settings', () => {
  const destination: BrowserDestination = createCloudDestination({ apiHost: 'https://t.example.com' });
  const settings: AnalyticsSettings = { writeKey: 'wk', destinations: [createCloudDestination()] };
  // @ts-expect-error batchSize is a number
  createCloudDestination({ batchSize: '20' });
  expect(typeof createAnalytics).toBe('function');
  expect(destination.name).toBe('Tally Cloud');
  expect(settings.destinations).toHaveLength(1);
});
