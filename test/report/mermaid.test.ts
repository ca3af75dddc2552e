import { describe, expect, test } from 'vitest';
import { deriveStateCharts } from '../../src/analysis/state-chart.ts';
import { renderPathwayFlowchart, renderStateDiagram } from '../../src/report/mermaid.ts';
import { placeEdges } from '../../src/report/place-edges.ts';
import { loadValid, modelOf } from '../helpers.ts';
import { NESTED } from './nested.fixture.ts';

const [P, Q] = deriveStateCharts(modelOf(NESTED));

describe('Mermaid state diagrams', () => {
  test('nested and parallel states: composites, `--` between regions, edges lifted to sibling ancestors', () => {
    expect(renderStateDiagram(P as NonNullable<typeof P>)).toMatchInlineSnapshot(`
      "stateDiagram-v2
        [*] --> P
        state "Pland (P)" as P
        state P {
          [*] --> peace
          peace
          state crisis {
            [*] --> crisis_tense
            state "tense" as crisis_tense
            state "end" as crisis_end
            crisis_tense --> crisis_end : THREAT
          }
          state "war · parallel" as war
          state war {
            state "front" as war_front
            state war_front {
              [*] --> war_front_holding
              state "holding" as war_front_holding
              state "advancing" as war_front_advancing
              war_front_holding --> war_front_advancing : STRIKE
            }
            state "home" as war_home
            state war_home {
              [*] --> war_home_calm
              state "calm" as war_home_calm
              state "unrest" as war_home_unrest
              war_home_calm --> war_home_unrest : THREAT
            }
          }
          peace --> crisis : THREAT → crisis.tense
          peace --> peace : TALK (stays)
          crisis --> crisis : TALK (stays)
          crisis --> war : STRIKE (from crisis.tense)
          crisis --> peace : TALK (guarded) (from crisis.tense)
        }
        P --> P : RESET → peace
      "
    `);
  });

  test('an actor whose root is a single state: a loop per transition', () => {
    expect(renderStateDiagram(Q as NonNullable<typeof Q>)).toMatchInlineSnapshot(`
      "stateDiagram-v2
        [*] --> Q
        state "Qland (Q)" as Q
        Q --> Q : TALK (stays), THREAT (stays)
      "
    `);
  });

  test('states named like Mermaid keywords get safe ids and keep their names as labels', () => {
    const [R] = deriveStateCharts(
      modelOf(`
version: 1
metadata: { id: kw, title: Keywords }
time: { turns: 2 }
ladder: { rungs: [{ id: L0, name: Calm }, { id: L1, name: Act }] }
events: { GO: { rung: L1, description: Go } }
actors:
  R:
    name: Rland
    statechart:
      initial: state
      states:
        state: { on: { GO: { target: end } }, moves: { go: { event: GO, to: [S], probability: 0.5 } } }
        end: {}
  S: { name: Sland, statechart: { on: { GO: {} } } }
`),
    );
    expect(renderStateDiagram(R as NonNullable<typeof R>)).toMatchInlineSnapshot(`
      "stateDiagram-v2
        [*] --> state_
        state "state" as state_
        state "end" as end_
        state_ --> end_ : GO
      "
    `);
  });

  test('issue 16: a parallel root is drawn as a composite (no `--` at the root); a loop on a region moves to its parallel state', () => {
    const [R] = deriveStateCharts(
      modelOf(`
version: 1
metadata: { id: par, title: Parallel root }
time: { turns: 2 }
ladder: { rungs: [{ id: L0, name: Calm }, { id: L1, name: Act }] }
events: { GO: { rung: L1, description: Go }, HOLD: { rung: L1, description: Hold } }
actors:
  R:
    name: Rland
    statechart:
      type: parallel
      states:
        a: { initial: x, on: { HOLD: {} }, states: { x: { on: { GO: { target: y } } }, y: {} } }
        b: { initial: u, states: { u: {} } }
  S: { name: Sland, statechart: { on: { GO: {} } } }
`),
    );
    expect(renderStateDiagram(R as NonNullable<typeof R>)).toMatchInlineSnapshot(`
      "stateDiagram-v2
        [*] --> R
        state "Rland (R) · parallel" as R
        state R {
          state a {
            [*] --> a_x
            state "x" as a_x
            state "y" as a_y
            a_x --> a_y : GO
          }
          state b {
            [*] --> b_u
            state "u" as b_u
          }
        }
        R --> R : HOLD (stays) in a
      "
    `);
  });

  test('every placed edge joins two children of its scope, or loops on one state', () => {
    for (const chart of [P, Q, ...deriveStateCharts(loadValid('test/fixtures/valid/duel.yaml').model)]) {
      if (chart === undefined) continue;
      const kinds = new Map<string, 'atomic' | 'compound' | 'parallel'>();
      const walk = (n: typeof chart.root) => {
        kinds.set(n.path, n.kind);
        n.children.forEach(walk);
      };
      walk(chart.root);
      const parent = (p: string) => (p === '' ? null : p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '');
      for (const e of placeEdges(chart, (p) => kinds.get(p) ?? 'atomic')) {
        if (e.from === e.to) expect(e.scope).toBe(parent(e.from));
        else expect([parent(e.from), parent(e.to)]).toEqual([e.scope, e.scope]);
      }
      expect(placeEdges(chart, (p) => kinds.get(p) ?? 'atomic')).toHaveLength(chart.edges.length);
    }
  });
});

describe('Mermaid flowchart of the top pathways', () => {
  test('one node per distinct step and per final peak, edges weighted by runs', () => {
    const pathways = [
      { rank: 1, signature: 'L2 B PROTEST > L3 A DRILL', steps: ['L2 B PROTEST', 'L3 A DRILL'], count: 60, share: 0.6, seed: '1' },
      { rank: 2, signature: 'L2 B PROTEST > L4 B CLASH', steps: ['L2 B PROTEST', 'L4 B CLASH'], count: 30, share: 0.3, seed: '2' },
      { rank: 3, signature: '(no escalation)', steps: [], count: 10, share: 0.1, seed: '3' },
    ];
    expect(renderPathwayFlowchart(pathways, 100)).toMatchInlineSnapshot(`
      "flowchart LR
        start(["start"])
        s1["L2 B PROTEST"]
        s2["L3 A DRILL"]
        p3(["peak L3"])
        s4["L4 B CLASH"]
        p5(["peak L4"])
        p6(["no escalation"])
        start -->|"90.0%"| s1
        s1 -->|"60.0%"| s2
        s2 -->|"60.0%"| p3
        s1 -->|"30.0%"| s4
        s4 -->|"30.0%"| p5
        start -->|"10.0%"| p6
      "
    `);
  });
});
