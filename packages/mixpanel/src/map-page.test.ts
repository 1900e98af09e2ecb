import { describe, expect, test } from 'vitest';
import { bodies, cloud, device, eventOf, msg, settings } from '../test/fixtures.js';

const context = { page: { path: '/docs', referrer: 'https://r.example/', search: '?q=1', title: 'Docs', url: 'https://s.example/docs?q=1' } };

describe('page and screen calls', () => {
  test.each([
    ['default: every page is Loaded a Page', {}, 'page', 'Loaded a Page'],
    ['default: every screen is Loaded a Screen', {}, 'screen', 'Loaded a Screen'],
    ['categorized', { consolidatedPageCalls: false, trackCategorizedPages: true }, 'page', 'Viewed Docs Home Page'],
    ['named', { consolidatedPageCalls: false, trackNamedPages: true }, 'page', 'Viewed Home Page'],
    ['template', { pageEventTemplate: 'Viewed {{ category }} {{ name }} page' }, 'page', 'Viewed Docs Home page'],
  ])('%s', (_, overrides, type, name) => {
    const { operations } = cloud(msg(type, { name: 'Home', category: 'Docs', context }), settings(overrides));
    expect(operations).toHaveLength(1);
    expect(eventOf(operations).event).toBe(name);
  });

  test('page properties carry the page context, name and category; call properties win', () => {
    const { properties } = eventOf(cloud(msg('page', { name: 'Home', category: 'Docs', context, properties: { title: 'Mine' } })).operations);
    expect(properties).toMatchObject({
      path: '/docs',
      referrer: 'https://r.example/',
      search: '?q=1',
      title: 'Mine',
      url: 'https://s.example/docs?q=1',
      name: 'Home',
      category: 'Docs',
      $current_url: 'https://s.example/docs?q=1',
      $referring_domain: 'r.example',
    });
  });

  test('a page call that matches no option sends nothing, ok, in both modes', () => {
    const s = settings({ consolidatedPageCalls: false, trackNamedPages: true, people: true, eventIncrements: ['Loaded a Page'] });
    const result = cloud(msg('page', { category: 'Docs' }), s);
    expect(result.operations).toEqual([]);
    expect(result.warnings).toEqual(['No page option matched this call: nothing sent']);
    expect(device(msg('page', { category: 'Docs' }), s).calls).toEqual([]);
  });

  test('named page events can be event increments', () => {
    const s = settings({ consolidatedPageCalls: false, trackNamedPages: true, people: true, eventIncrements: ['Viewed Pricing Page'] });
    const updates = bodies(cloud(msg('page', { name: 'Pricing' }), s).operations, 'engage');
    expect(updates.map((u) => u.$add ?? u.$set)).toEqual([{ 'Last Viewed Pricing Page': expect.any(String) }, { 'Viewed Pricing Page': 1 }]);
  });
});
