import type { Scenario } from '../scenario/schema.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The date a turn stands for, from the scenario's `time`: `Jun 2024` for months, `2024-06-19` for
 * days and weeks, `2024 Q3`, `2025`, or `turn 3` when the scenario gives no start. Turn 1 is the start.
 */
export function turnDate(time: Scenario['time'], turn: number): string {
  const start = time.start;
  if (start === undefined || time.unit === 'turn') return `turn ${turn}`;
  const [y, m, d] = start.split('-').map(Number) as [number, number, number | undefined];
  const k = turn - 1;
  switch (time.unit) {
    case 'month':
    case 'quarter':
    case 'year': {
      const months = time.unit === 'month' ? k : time.unit === 'quarter' ? 3 * k : 12 * k;
      const total = y * 12 + (m - 1) + months;
      const year = Math.floor(total / 12);
      const month = total % 12;
      if (time.unit === 'year') return String(year);
      if (time.unit === 'quarter') return `${year} Q${Math.floor(month / 3) + 1}`;
      return `${MONTHS[month]} ${year}`;
    }
    case 'day':
    case 'week': {
      const days = time.unit === 'day' ? k : 7 * k;
      const t = Date.UTC(y, m - 1, d ?? 1) + days * 86_400_000;
      return new Date(t).toISOString().slice(0, 10);
    }
    default:
      return `turn ${turn}`;
  }
}
