import { describe, expect, test } from 'vitest';
import { pct, pctInterval, shareDecimals } from '../../src/report/format.ts';

describe('shares in reports (issue 16: rare outcomes must not print as 0.0%)', () => {
  test('two significant digits below 1%, one decimal above', () => {
    expect([0.453, 0.033, 0.0099, 0.005, 0.001, 0.00033, 0.0000012, 0, 1].map((x) => pct(x))).toEqual([
      '45.3%',
      '3.3%',
      '0.99%',
      '0.50%',
      '0.10%',
      '0.033%',
      '0.00012%',
      '0.0%',
      '100.0%',
    ]);
    expect(shareDecimals(65 / 200_000)).toBe(3);
  });

  test('an interval takes its estimate’s decimals; a zero estimate shows its upper bound', () => {
    expect(pctInterval({ p: 65 / 200_000, low: 0.000255, high: 0.000415 })).toBe('0.033% [0.026–0.042]');
    expect(pctInterval({ p: 0.453, low: 0.44, high: 0.465 })).toBe('45.3% [44.0–46.5]');
    expect(pctInterval({ p: 0, low: 0, high: 0.000019 })).toBe('0% [0–0.0019]');
  });
});
