/** A scenario with nested, parallel and cross-boundary transitions, for diagram tests. */
export const NESTED = `
version: 1
metadata: { id: nested, title: Nested states }
time: { turns: 6 }
ladder:
  rungs: [{ id: L0, name: Calm }, { id: L1, name: Talk }, { id: L2, name: Threat }, { id: L3, name: Strike }]
  thresholds: [{ id: T1, name: threats, at: L2 }]
events:
  TALK: { rung: L1, description: Talks }
  THREAT: { rung: L2, description: A threat }
  STRIKE: { rung: L3, description: A strike }
  RESET: { rung: L0, description: Reset }
actors:
  P:
    name: Pland
    statechart:
      initial: peace
      on:
        RESET: { target: peace }
      states:
        peace:
          on:
            THREAT: { target: crisis.tense }
            TALK: {}
          moves:
            talk: { event: TALK, to: [Q], probability: 0.5 }
            threaten: { event: THREAT, to: [Q], probability: 0.3 }
        crisis:
          initial: tense
          states:
            tense:
              on:
                STRIKE: { target: war }
                TALK: { target: peace, when: { event: { field: from, ne: $self } } }
                THREAT: { target: end }
              moves:
                strike: { event: STRIKE, to: [Q], probability: 0.2 }
            end: {}
          on:
            TALK: {}
        war:
          type: parallel
          states:
            front:
              initial: holding
              states:
                holding:
                  on:
                    STRIKE: { target: advancing }
                advancing: {}
            home:
              initial: calm
              states:
                calm:
                  on:
                    THREAT: { target: unrest }
                unrest: {}
  Q:
    name: Qland
    statechart:
      on:
        TALK: {}
        THREAT: {}
      moves:
        threaten: { event: THREAT, to: [P], probability: 0.2 }
`;
