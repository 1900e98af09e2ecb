// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadScript } from './load-script.js';

describe('loadScript', () => {
  afterEach(() => vi.restoreAllMocks());

  const capture = () => {
    const added: Node[] = [];
    vi.spyOn(document.head, 'appendChild').mockImplementation(<T extends Node>(node: T) => (added.push(node), node));
    return added;
  };

  it('injects one async script into the head, with SRI, CORS and the CSP nonce', () => {
    const added = capture();
    const script = loadScript(document, { src: 'https://cdn.example.com/mp.js', integrity: 'sha384-abc', nonce: 'n0nce' }, () => {});
    expect(added).toEqual([script]);
    expect(script.tagName).toBe('SCRIPT');
    expect(script.getAttribute('src')).toBe('https://cdn.example.com/mp.js');
    expect(script.async).toBe(true);
    expect(script.integrity).toBe('sha384-abc');
    expect(script.crossOrigin).toBe('anonymous');
    expect(script.getAttribute('nonce')).toBe('n0nce');
  });

  it('sets no integrity, crossorigin or nonce when none is given', () => {
    capture();
    const script = loadScript(document, { src: '/lib/mixpanel.min.js' }, () => {});
    expect(script.hasAttribute('integrity')).toBe(false);
    expect(script.hasAttribute('crossorigin')).toBe(false);
    expect(script.hasAttribute('nonce')).toBe(false);
  });

  it('reports load without an error and a failure with one naming the URL', () => {
    capture();
    const done = vi.fn();
    const ok = loadScript(document, { src: '/a.js' }, done);
    ok.onload?.(new Event('load'));
    expect(done).toHaveBeenLastCalledWith();
    const bad = loadScript(document, { src: '/b.js' }, done);
    bad.onerror?.(new Event('error'));
    expect(done).toHaveBeenLastCalledWith(new Error('/b.js'));
  });

  it('never uses document.write', () => {
    capture();
    const write = vi.spyOn(document, 'write');
    loadScript(document, { src: '/a.js' }, () => {});
    expect(write).not.toHaveBeenCalled();
  });
});
