// @vitest-environment happy-dom
import type { PageMessage } from '@tally/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAnalytics } from './analytics.js';
import { parseCampaign, sessionCampaign } from './campaign.js';
import { createRecorder, settle, setUrl } from './recording-destination.js';
import { createMemoryStore } from './storage/store.js';

beforeEach(() => {
  sessionStorage.clear();
  setUrl('https://example.com/landing');
});

describe('campaign', () => {
  it('maps utm_* parameters, utm_campaign to name', () => {
    expect(parseCampaign('?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=top&utm_custom=x&other=1')).toEqual({
      source: 'news',
      medium: 'email',
      name: 'spring',
      term: 'shoes',
      content: 'top',
      custom: 'x',
    });
    expect(parseCampaign('?a=1')).toBeUndefined();
    expect(parseCampaign('?utm_=1&utm___proto__=x')).toBeUndefined();
  });

  it('is kept for the session and replaced by a newer campaign', () => {
    const session = createMemoryStore();
    expect(sessionCampaign('?utm_source=a', session)).toEqual({ source: 'a' });
    expect(sessionCampaign('', session)).toEqual({ source: 'a' });
    expect(sessionCampaign('?utm_source=b', session)).toEqual({ source: 'b' });
    session.set('campaign', '{broken');
    expect(sessionCampaign('', session)).toBeUndefined();
  });

  it('carries the landing page campaign onto later pages of the session', async () => {
    setUrl('https://example.com/landing?utm_source=news&utm_campaign=spring');
    const rec = createRecorder();
    const client = createAnalytics({ persistence: 'localStorage', destinations: [rec.destination] });
    client.page();
    history.pushState({}, '', '/next');
    client.track('Later');
    await settle();
    const reloaded = createRecorder();
    createAnalytics({ persistence: 'localStorage', destinations: [reloaded.destination] }).track('After reload');
    await settle();
    for (const m of [...rec.messages(), ...reloaded.messages()]) {
      expect(m.context.campaign).toEqual({ source: 'news', name: 'spring' });
    }
  });
});

describe('page context in a single-page app', () => {
  it('uses the previous URL as referrer after a route change', async () => {
    const rec = createRecorder();
    const client = createAnalytics({ persistence: 'memory', destinations: [rec.destination] });
    client.page();
    history.pushState({}, '', '/products?id=2');
    document.title = 'Products';
    client.page('Products');
    history.pushState({}, '', '/cart');
    client.track('Viewed Cart');
    await settle();
    const [first, second, third] = rec.messages() as PageMessage[];
    expect(first!.context.page).toMatchObject({ url: 'https://example.com/landing', path: '/landing', referrer: document.referrer });
    expect(second!.context.page).toEqual({
      url: 'https://example.com/products?id=2',
      path: '/products',
      search: '?id=2',
      title: 'Products',
      referrer: 'https://example.com/landing',
    });
    expect(second!.properties).toMatchObject({ url: 'https://example.com/products?id=2', referrer: 'https://example.com/landing', name: 'Products' });
    expect(third!.context.page).toMatchObject({ path: '/cart', referrer: 'https://example.com/products?id=2' });
  });

  it('sends page views on path changes with trackPageViews: history', async () => {
    const rec = createRecorder();
    createAnalytics({ persistence: 'memory', destinations: [rec.destination], trackPageViews: 'history' });
    history.pushState({}, '', '/a');
    history.pushState({}, '', '/a?tab=2');
    history.replaceState({}, '', '/a?tab=3#section');
    history.pushState({}, '', '/b');
    await settle();
    const pages = rec.messages() as PageMessage[];
    expect(pages.map((m) => [m.type, m.properties.path, m.properties.referrer])).toEqual([
      ['page', '/landing', document.referrer],
      ['page', '/a', 'https://example.com/landing'],
      ['page', '/b', 'https://example.com/a?tab=3'],
    ]);
  });

  it('waits a task before an automatic page view, so it carries the new view’s title (pushState and popstate)', async () => {
    const rec = createRecorder();
    document.title = 'Landing';
    createAnalytics({ persistence: 'memory', destinations: [rec.destination], trackPageViews: 'history' });
    // An SPA router: the URL first, the new view (and its title) right after.
    history.pushState({}, '', '/pricing');
    document.title = 'Pricing';
    await settle();
    // Back: the URL has changed when popstate fires; the app's own listener (added after ours) sets the title.
    const onPop = () => (document.title = 'Landing again');
    window.addEventListener('popstate', onPop);
    setUrl('https://example.com/landing');
    window.dispatchEvent(new PopStateEvent('popstate'));
    window.removeEventListener('popstate', onPop);
    await settle();
    const pages = rec.messages() as PageMessage[];
    expect(pages.map((m) => [m.context.page?.url, m.context.page?.title, m.context.page?.referrer, m.properties.title])).toEqual([
      ['https://example.com/landing', 'Landing', document.referrer, 'Landing'],
      ['https://example.com/pricing', 'Pricing', 'https://example.com/landing', 'Pricing'],
      ['https://example.com/landing', 'Landing again', 'https://example.com/pricing', 'Landing again'],
    ]);
  });
});
