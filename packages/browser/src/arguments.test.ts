import { describe, expect, it } from 'vitest';
import { PARSERS } from './arguments.js';

const cb = () => {};
const props = { a: 1 };
const opts = { integrations: { All: false } };

describe('Segment argument overloads', () => {
  it.each([
    [[], {}],
    [['Home'], { name: 'Home' }],
    [['Docs', 'Intro'], { extra: 'Docs', name: 'Intro' }],
    [[null, 'Intro'], { name: 'Intro' }],
    [['Home', props], { name: 'Home', props }],
    [['Home', props, opts], { name: 'Home', props, options: opts }],
    [['Docs', 'Intro', props, opts, cb], { extra: 'Docs', name: 'Intro', props, options: opts }],
    [[props], { props }],
    [[props, opts], { props, options: opts }],
    [['Home', null, props], { name: 'Home', props }],
    [[undefined, undefined, props], { props }],
    [[cb], {}],
    [['Home', cb], { name: 'Home' }],
    [[props, cb], { props }],
  ])('page%#(%j)', (args, expected) => {
    expect(PARSERS.page(args)).toEqual(expected);
  });

  it.each([
    [['Clicked'], { name: 'Clicked' }],
    [['Clicked', props], { name: 'Clicked', props }],
    [['Clicked', props, opts, cb], { name: 'Clicked', props, options: opts }],
    [['Clicked', null, opts], { name: 'Clicked', options: opts }],
    [['Clicked', cb], { name: 'Clicked' }],
    [['Clicked', props, cb], { name: 'Clicked', props }],
  ])('track%#(%j)', (args, expected) => {
    expect(PARSERS.track(args)).toEqual(expected);
  });

  it.each([
    [['u1'], { name: 'u1' }],
    [[42], { name: '42' }],
    [['u1', props], { name: 'u1', props }],
    [['u1', props, opts, cb], { name: 'u1', props, options: opts }],
    [[props], { props }],
    [[props, opts], { props, options: opts }],
    [[null, props], { props }],
    [[undefined, props, opts], { props, options: opts }],
    [[], {}],
    [['u1', cb], { name: 'u1' }],
  ])('identify/group%#(%j)', (args, expected) => {
    expect(PARSERS.identify(args)).toEqual(expected);
    expect(PARSERS.group(args)).toEqual(expected);
  });

  it.each([
    [['new'], { name: 'new' }],
    [['new', 'old'], { name: 'new', extra: 'old' }],
    [[7, 3], { name: '7', extra: '3' }],
    [['new', 'old', opts, cb], { name: 'new', extra: 'old', options: opts }],
    [['new', opts], { name: 'new', options: opts }],
    [['new', null, opts], { name: 'new', options: opts }],
    [['new', cb], { name: 'new' }],
  ])('alias%#(%j)', (args, expected) => {
    expect(PARSERS.alias(args)).toEqual(expected);
  });

  it('names what is wrong', () => {
    expect(PARSERS.track([])).toBe('event');
    expect(PARSERS.track([''])).toBe('event');
    expect(PARSERS.track([12])).toBe('event');
    expect(PARSERS.track(['x', 'y'])).toBe('props');
    expect(PARSERS.track(['x', [1]])).toBe('props');
    expect(PARSERS.track(['x', {}, 5])).toBe('options');
    expect(PARSERS.identify([true])).toBe('id');
    expect(PARSERS.identify([Number.NaN])).toBe('id');
    expect(PARSERS.identify([Symbol('s')])).toBe('id');
    expect(PARSERS.alias([])).toBe('id');
    expect(PARSERS.alias(['a', true])).toBe('options');
    expect(PARSERS.page([5])).toBe('props');
  });
});
