import { describe, expect, test } from 'vitest';
import { riskRatio } from '../../src/analysis/risk-ratio.ts';

describe('riskRatio: log (Katz) interval', () => {
  test('a worked example: 30/100 against 10/100', () => {
    const rr = riskRatio(30, 100, 10, 100);
    expect(rr?.estimate).toBeCloseTo(3, 12);
    const se = Math.sqrt(1 / 30 - 1 / 100 + 1 / 10 - 1 / 100);
    expect(rr?.low).toBeCloseTo(3 * Math.exp(-1.959963984540054 * se), 12);
    expect(rr?.high).toBeCloseTo(3 * Math.exp(1.959963984540054 * se), 12);
  });

  test('a zero cell gets 0.5 added to every cell, so the ratio stays finite', () => {
    const rr = riskRatio(40, 40, 0, 60);
    expect(rr?.estimate).toBeCloseTo(40.5 / 41 / (0.5 / 61), 9);
    expect(Number.isFinite(rr?.high)).toBe(true);
    expect(rr?.low).toBeGreaterThan(1);
  });

  test('equal risks give 1 inside the interval; every run reaching it gives exactly [1, 1]', () => {
    const rr = riskRatio(20, 100, 40, 200);
    expect(rr?.estimate).toBeCloseTo(1, 12);
    expect(rr?.low).toBeLessThan(1);
    expect(rr?.high).toBeGreaterThan(1);
    expect(riskRatio(50, 50, 70, 70)).toEqual({ estimate: 1, low: 1, high: 1 });
  });

  test('an empty group has no ratio', () => {
    expect(riskRatio(0, 0, 3, 10)).toBeUndefined();
    expect(riskRatio(3, 10, 0, 0)).toBeUndefined();
  });
});
