import type { ActorModel, Model } from '../model/types.ts';

/** One state of an actor's statechart, with its children, for diagrams. */
export interface StateChartNode {
  /** Dotted path from the actor's root; the root is `''`. */
  readonly path: string;
  /** The last part of the path; the root is named after the actor's id. */
  readonly name: string;
  readonly kind: 'atomic' | 'compound' | 'parallel';
  /** Path of the initial child (compound states only). */
  readonly initial: string | null;
  readonly children: readonly StateChartNode[];
  /** The acts the actor may choose on its own while in this state: `EVENT` per move, in file order. */
  readonly moves: readonly string[];
}

/** A transition as drawn: from the state that declares it to its target (null: it changes no state). */
export interface StateChartEdge {
  readonly from: string;
  readonly to: string | null;
  readonly event: string;
  readonly guarded: boolean;
  readonly rule: string;
}

/** An actor's statechart as plain data: what `brink diagram` and the reports draw. */
export interface StateChart {
  readonly actor: string;
  readonly name: string;
  readonly root: StateChartNode;
  /** In document order (state by state, event by event). */
  readonly edges: readonly StateChartEdge[];
}

/** The statechart of every actor, in file order, from the model's state tables. Pure. */
export function deriveStateCharts(model: Model): StateChart[] {
  return model.actors.map((a) => deriveStateChart(model, a));
}

/** The statechart of one actor. Pure. */
export function deriveStateChart(model: Model, actor: ActorModel): StateChart {
  const eventId = (i: number) => (model.events[i] as { id: string }).id;
  const node = (i: number): StateChartNode => {
    const st = actor.states[i];
    if (st === undefined) throw new Error(`deriveStateChart: no state ${i} in ${actor.id}`);
    const initial = st.kind === 'compound' ? (actor.states[st.children[st.initial] as number]?.path ?? null) : null;
    return {
      path: st.path,
      name: st.path === '' ? actor.id : (st.path.split('.').pop() as string),
      kind: st.kind,
      initial,
      children: st.children.map(node),
      moves: actor.moves.filter((m) => m.state === i).map((m) => eventId(m.event)),
    };
  };
  const path = (i: number) => (actor.states[i] as { path: string }).path;
  return {
    actor: actor.id,
    name: actor.name,
    root: node(0),
    edges: actor.transitions.map((t) => ({
      from: path(t.state),
      to: t.target < 0 ? null : path(t.target),
      event: eventId(t.event),
      guarded: t.when !== undefined,
      rule: (model.rules[t.rule] as { id: string }).id,
    })),
  };
}
