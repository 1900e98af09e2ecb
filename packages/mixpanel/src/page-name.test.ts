import { describe, expect, test } from 'vitest';
import { fillTemplate, pageEventName } from './page-name.js';
import { resolveMixpanelSettings, type MixpanelSettings } from './settings.js';

function s(overrides: Record<string, unknown>): MixpanelSettings {
  const r = resolveMixpanelSettings({ token: 't', consolidatedPageCalls: false, ...overrides });
  if (!r.ok) throw new Error(r.errors.join());
  return r.settings;
}

describe('pageEventName', () => {
  const all = { consolidatedPageCalls: true, trackAllPages: true, trackCategorizedPages: true, trackNamedPages: true };
  test.each([
    // [settings, type, name, category, expected]
    ['default (consolidated)', { consolidatedPageCalls: true }, 'page', 'Home', 'Docs', 'Loaded a Page'],
    ['consolidated screen', { consolidatedPageCalls: true }, 'screen', 'Home', undefined, 'Loaded a Screen'],
    ['consolidated wins over all', all, 'page', 'Home', 'Docs', 'Loaded a Page'],
    ['all pages', { trackAllPages: true, trackNamedPages: true }, 'page', 'Home', undefined, 'Loaded a Page'],
    ['all pages without name', { trackAllPages: true }, 'page', undefined, undefined, 'Loaded a Page'],
    ['categorized with name', { trackCategorizedPages: true, trackNamedPages: true }, 'page', 'Home', 'Docs', 'Viewed Docs Home Page'],
    ['categorized without name', { trackCategorizedPages: true }, 'page', undefined, 'Docs', 'Viewed Docs Page'],
    ['categorized, no category, falls to named', { trackCategorizedPages: true, trackNamedPages: true }, 'page', 'Home', undefined, 'Viewed Home Page'],
    ['categorized only, no category', { trackCategorizedPages: true }, 'page', 'Home', undefined, undefined],
    ['named', { trackNamedPages: true }, 'page', 'Home', undefined, 'Viewed Home Page'],
    ['named screen', { trackNamedPages: true }, 'screen', 'Cart', undefined, 'Viewed Cart Screen'],
    ['named without name', { trackNamedPages: true }, 'page', undefined, 'Docs', undefined],
    ['nothing on', {}, 'page', 'Home', 'Docs', undefined],
    ['blank name counts as none', { trackNamedPages: true }, 'page', '  ', undefined, undefined],
    ['template wins over consolidated', { consolidatedPageCalls: true, pageEventTemplate: 'Viewed {{ category }} {{ name }} page' }, 'page', 'Home', 'Docs', 'Viewed Docs Home page'],
    ['template, no category: no double space', { pageEventTemplate: 'Viewed {{ category }} {{ name }} page' }, 'page', 'Home', undefined, 'Viewed Home page'],
    ['template, nothing: no double space', { pageEventTemplate: 'Viewed {{category}} {{name}} page' }, 'page', undefined, undefined, 'Viewed page'],
    ['template trailing value missing: no trailing space', { pageEventTemplate: '{{ category }} {{ name }}' }, 'page', undefined, 'Docs', 'Docs'],
    ['template all empty: no event', { pageEventTemplate: '{{ name }}' }, 'page', undefined, undefined, undefined],
    ['page template not used for screens', { consolidatedPageCalls: true, pageEventTemplate: 'P {{ name }}' }, 'screen', 'Cart', undefined, 'Loaded a Screen'],
    ['screen template', { screenEventTemplate: 'Screen {{ name }}' }, 'screen', 'Cart', undefined, 'Screen Cart'],
  ] as const)('%s', (_, overrides, type, name, category, expected) => {
    expect(pageEventName(type, name, category, s(overrides))).toBe(expected);
  });

  test('fillTemplate leaves unknown placeholders empty', () => {
    expect(fillTemplate('A {{ nope }} B', { name: 'x' })).toBe('A B');
  });
});
