import { fc, test as prop } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { formatQueryProblem, parseQuery, type QueryEvent, QuerySchema, renderQueryEvent } from '../../src/analysis/query.ts';
import { happenedBy, resolveQuery } from '../../src/analysis/resolve-query.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { Runner } from '../../src/engine/run.ts';
import { loadValid } from '../helpers.ts';

const FLAGSHIP = loadValid('scenarios/russia-dprk-2024.yaml').model;

function problemOf(text: string): string {
  const r = parseQuery(text);
  if (r.ok) {
    const s = resolveQuery(r.query, [{ name: 'base', model: FLAGSHIP }]);
    if (s.ok) throw new Error(`expected a problem with ${text}`);
    return formatQueryProblem(text, s.problem);
  }
  return formatQueryProblem(text, r.problem);
}

describe('the query language', () => {
  test('a hypothesis parses into its tree, with columns', () => {
    const r = parseQuery('P(peak NEA >= L9 by 24) < 0.05');
    expect(r).toEqual({
      ok: true,
      query: {
        kind: 'hypothesis',
        prob: { at: 1, subject: null, event: { kind: 'peak', at: 3, scope: { kind: 'theatre', theatre: { id: 'NEA', at: 8 } }, rung: { id: 'L9', at: 15 } }, by: { turn: 24, at: 21 } },
        comparison: '<',
        threshold: 0.05,
        at: 25,
      },
    });
  });

  test('estimates, percentages, dyads, unicode operators and a paired comparison', () => {
    const est = parseQuery('P(act NUCLEAR_TEST from DPRK by 12) = ? ±0.005');
    expect(est.ok && est.query.kind === 'estimate' && est.query.precision).toEqual({ kind: 'absolute', value: 0.005, at: 41 });
    const rel = parseQuery('P(peak ROK -> DPRK ≥ L7) = ? +-10%');
    expect(rel.ok && rel.query.kind === 'estimate' && rel.query.precision).toMatchObject({ kind: 'relative', value: 0.1 });
    expect(rel.ok && rel.query.kind === 'estimate' && renderQueryEvent(rel.query.prob.event)).toBe('peak ROK->DPRK >= L7');
    const pct = parseQuery('P(peak >= L9) <= 5%');
    expect(pct.ok && pct.query.kind === 'hypothesis' && pct.query.threshold).toBe(0.05);
    const paired = parseQuery('P[no-art4](peak NEA >= L9 by 24) < P[base](peak NEA >= L9 by 24)');
    expect(paired.ok && paired.query.kind === 'paired' && [paired.query.left.subject?.id, paired.query.right.subject?.id]).toEqual(['no-art4', 'base']);
    const logic = parseQuery('P(not (act A or act B) and violation x) = ?');
    expect(logic.ok && logic.query.kind === 'estimate' && renderQueryEvent(logic.query.prob.event)).toBe('not (act A or act B) and violation x');
  });

  test('bad queries point at the column, with what was expected and found', () => {
    expect(problemOf('P(peak NEA >= L13 by 24) < 0.05')).toMatchInlineSnapshot(`
      "error: query column 15: unknown rung "L13" in russia-dprk-2024 (rungs: L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, L10, L11; thresholds: T1, T2, T3, T4, T5)
        P(peak NEA >= L13 by 24) < 0.05
                      ^"
    `);
    expect(problemOf('P(peak NEA >= L9 by 25) < 0.05')).toContain("column 21: turn 25 is past russia-dprk-2024's horizon: expected a turn from 1 to 24");
    expect(problemOf('P(peak XX >= L9) < 0.05')).toContain('column 8: unknown scope "XX"');
    expect(problemOf('P(peak NEA >= L9) =< 0.05')).toContain('column 20: expected "?" after "="');
    expect(problemOf('P(peak NEA >= L9) 0.05')).toContain('column 19: expected a comparison (<, <=, >, >=) or "= ?" after P(…); found "0.05"');
    expect(problemOf('P(peak NEA > L9) < 0.05')).toContain('column 12: expected ">=" and a rung');
    expect(problemOf('P(act FOO) = ?')).toContain('column 7: unknown event type "FOO"');
    expect(problemOf('P(violation nope) = ?')).toContain('column 13: unknown invariant "nope"');
    expect(problemOf('P(outcome settled) = ?')).toContain('column 11: unknown outcome "settled"');
    expect(problemOf('P[v2](act PROTEST) < 0.5')).toContain('column 3: unknown scenario "v2" in P[…]');
    expect(problemOf('P(peak >= L9) < 1.5')).toContain('column 17: expected a probability above 0 and below 1; found 1.5');
    expect(problemOf('P(peak >= L9) = ? ±100%')).toContain('column 20: expected a precision above 0 and below 100%');
    expect(problemOf('P(peak >= L9 by 2.5) < 0.1')).toContain('column 17: expected a whole turn number');
    expect(problemOf('P(peak >= L9) < 0.1 extra')).toContain('column 21: expected the end of the query; found "extra"');
    expect(problemOf('P(peak ROK -> ROK >= L9) < 0.1')).toContain('a dyad joins two different actors');
    expect(problemOf('peak >= L9 < 0.1')).toContain('column 1: expected P(…)');
    expect(problemOf('P(peak >= L9 & act X) < 0.1')).toContain('column 14: unexpected "&"');
  });

  const name = fc.constantFrom('A', 'NEA', 'L9', 'MISSILE_TEST', 'x1');
  const atom: fc.Arbitrary<QueryEvent> = fc.oneof(
    fc.record({ kind: fc.constant('peak' as const), at: fc.constant(1), scope: fc.constant({ kind: 'overall' as const }), rung: name.map((id) => ({ id, at: 1 })) }),
    fc.record({ kind: fc.constant('act' as const), at: fc.constant(1), event: name.map((id) => ({ id, at: 1 })), from: fc.option(name.map((id) => ({ id, at: 1 }))) }),
    fc.record({ kind: fc.constant('violation' as const), at: fc.constant(1), invariant: name.map((id) => ({ id, at: 1 })) }),
  );
  const event: fc.Arbitrary<QueryEvent> = fc.letrec<{ e: QueryEvent }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      fc.record({ kind: fc.constant('not' as const), at: fc.constant(1), of: tie('e') }),
      fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), at: fc.constant(1), of: fc.array(tie('e'), { minLength: 2, maxLength: 3 }) }),
    ),
  })).e;

  prop.prop([event], { numRuns: 200 })('printing an event and parsing it back gives the same event', (e) => {
    const text = renderQueryEvent(e);
    const r = parseQuery(`P(${text}) = ?`);
    expect(r.ok).toBe(true);
    if (r.ok && r.query.kind === 'estimate') {
      expect(renderQueryEvent(r.query.prob.event)).toBe(text);
      expect(QuerySchema.safeParse(r.query).success).toBe(true);
    }
  });

  test('an event is judged on a run as the run says: peaks by turn, acts, dyads', () => {
    const runner = new Runner(FLAGSHIP, new CompiledKernel(FLAGSHIP));
    const parsed = parseQuery('P(peak NEA >= L7 by 24) = ?');
    if (!parsed.ok || parsed.query.kind !== 'estimate') throw new Error('parse');
    for (let seed = 1; seed <= 30; seed++) {
      const record = runner.run(String(seed));
      const r = resolveQuery(parsed.query, [{ name: 'base', model: FLAGSHIP }]);
      if (!r.ok) throw new Error('resolve');
      const p = r.probs[0];
      if (p === undefined) throw new Error('prob');
      const nea = FLAGSHIP.theatres.findIndex((t) => t.id === 'NEA');
      const l7 = FLAGSHIP.rungs.findIndex((x) => x.id === 'L7');
      expect(happenedBy(FLAGSHIP, record, p.event, 24)).toBe((record.theatrePeaks[nea] as number) >= l7);
      const first = record.steps.find((s) => s.theatre === nea && s.rung >= l7)?.turn ?? Infinity;
      for (const t of [1, 5, 12]) expect(happenedBy(FLAGSHIP, record, p.event, t)).toBe(first <= t);
    }
  });
});
