import type { MixpanelSettings } from './settings.js';

const clean = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');

/** Fills `{{ name }}`/`{{ category }}`; missing values leave no double or trailing space. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => values[key] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The one event name for a page or screen call, or undefined when no option asks for one.
 * Order: template > consolidatedPageCalls > trackAllPages > trackCategorizedPages > trackNamedPages
 * (Segment's order, with RudderStack's template on top).
 */
export function pageEventName(
  type: 'page' | 'screen',
  rawName: unknown,
  rawCategory: unknown,
  settings: MixpanelSettings,
): string | undefined {
  const name = clean(rawName);
  const category = clean(rawCategory);
  const word = type === 'page' ? 'Page' : 'Screen';
  const template = type === 'page' ? settings.pageEventTemplate : settings.screenEventTemplate;
  if (template) return fillTemplate(template, { name, category }) || undefined;
  if (settings.consolidatedPageCalls || settings.trackAllPages) return `Loaded a ${word}`;
  if (settings.trackCategorizedPages && category) return `Viewed ${name ? `${category} ${name}` : category} ${word}`;
  if (settings.trackNamedPages && name) return `Viewed ${name} ${word}`;
  return undefined;
}
