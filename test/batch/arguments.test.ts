/**
 * Issue 18, item 8: library misuse gave TypeErrors from deep inside (or "-1 runs" in a report). Each
 * entry point now checks its arguments and says which option was wrong, what it expected and found.
 */
import { describe, expect, test } from 'vitest';
import { compare, overlay, runBatch } from '../../src/index.ts';
import { createKernel } from '../../src/engine/kernels.ts';
import { playBatch } from '../../src/batch/play-batch.ts';
import { loadValid } from '../helpers.ts';

const { model } = loadValid('test/fixtures/valid/duel.yaml');

describe('runBatch, playBatch and compare check their options', () => {
  test.each([
    [{ runs: -1, seed: '1' }, 'runBatch: expected options.runs to be a whole number of at least 0; found -1'],
    [{ runs: 1.5, seed: '1' }, 'runBatch: expected options.runs to be a whole number of at least 0; found 1.5'],
    [{ runs: Number.NaN, seed: '1' }, 'runBatch: expected options.runs to be a whole number of at least 0; found NaN'],
    [{ runs: 10 }, 'runBatch: expected options.seed to be a non-empty string'],
    [{ runs: 10, seed: '1', engine: 'bogus' }, 'runBatch: expected options.engine to be "compiled" or "reference"; found "bogus"'],
    [null, 'runBatch: expected options { runs, seed, … }; found null'],
  ])('runBatch(%j)', (options, message) => {
    expect(() => runBatch(model, options as never)).toThrow(TypeError);
    expect(() => runBatch(model, options as never)).toThrow(message);
  });
  test('playBatch and compare refuse the same', async () => {
    await expect(playBatch(model, { runs: -1, seed: '1' })).rejects.toThrow('playBatch: expected options.runs to be a whole number of at least 0; found -1');
    await expect(playBatch(model, { runs: 5, seed: '1', workers: 0 })).rejects.toThrow('playBatch: expected options.workers to be a whole number of at least 1; found 0');
    await expect(compare({ model }, [{ model, label: 'v' }], { runs: 1.5, seed: '1' })).rejects.toThrow('compare: expected options.runs');
  });
  test('an unknown engine name is a TypeError that lists the engines', () => {
    expect(() => createKernel(model, 'bogus' as never)).toThrow('expected engine "compiled" or "reference"; found "bogus"');
  });
});

describe('overlay', () => {
  test('a cyclic object is refused with a TypeError, not a stack overflow', () => {
    const a: Record<string, unknown> = { x: 1 };
    a['self'] = a;
    expect(() => overlay(a, a)).toThrow('overlay: expected documents nested at most 64 levels deep; found deeper (a cycle?)');
  });
  test('a key named __proto__ stays a key and never becomes the prototype', () => {
    const over = JSON.parse('{"__proto__": {"polluted": true}, "y": 2}');
    const merged = overlay({ x: 1 }, over) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect((merged as { polluted?: unknown }).polluted).toBeUndefined();
    expect(merged).toMatchObject({ x: 1, y: 2 });
  });
});
