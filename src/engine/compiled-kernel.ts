import type { DeliveryLog, EffectEntry } from '../model/build-machine.ts';
import { evaluate } from '../model/evaluate.ts';
import type { ActorModel, ChanceModel, Cond, EventInstance, Model, WorldView } from '../model/types.ts';
import { compileChance, compileCondition, type CompiledCondition, evaluateStatically } from './compile-condition.ts';
import type { Kernel, KernelSnapshot } from './kernel.ts';

/** One transition, flattened: integer ids and a guard resolved in advance. */
export interface FlatTransition {
  readonly source: number;
  readonly target: number;
  readonly guard: CompiledCondition | undefined;
  /** The delivery log entries this transition appends when taken, in order. */
  readonly rule: number;
  readonly effects: readonly EffectEntry[];
  /** The guard as written, for settling it in advance where it reads only the event. */
  readonly when: Cond | undefined;
  /** A chance reaction's odds (part of `guard`), or undefined. */
  readonly chance: ChanceModel | undefined;
  /** Transition domain (SCXML): the state whose active descendants are exited; -1 when targetless. */
  readonly domain: number;
  /** States entered when this transition is taken alone, in entry order (ascending index). */
  readonly entered: Int32Array;
}

/** One actor's statechart as flat tables over integer state ids (0 = root, document order). */
export interface FlatActor {
  readonly size: number;
  /** Descendants of s are the states s+1 … end[s]-1 (document order is pre-order). */
  readonly end: Int32Array;
  /** Initial value of the active child of each compound state. */
  readonly initialChild: Int32Array;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly kind: Uint8Array;
  readonly initial: Int32Array;
  readonly children: readonly Int32Array[];
  /** `byEvent[event][state]`: the state's transitions on the event, in declaration order. */
  readonly byEvent: ReadonlyArray<ReadonlyArray<readonly FlatTransition[] | undefined> | undefined>;
  /** `reach[event][state]` is 1 when the state or a descendant has a transition on the event. */
  readonly reach: ReadonlyArray<Uint8Array | undefined>;
  readonly entry: ReadonlyArray<readonly EffectEntry[]>;
  readonly paths: readonly string[];
  readonly initialActive: Uint8Array;
}

export const ATOMIC = 0;
export const COMPOUND = 1;
export const PARALLEL = 2;

/**
 * The batch engine's kernel: each actor's statechart compiled into flat tables — integer state ids, a
 * transition table per event type, guards resolved in advance to closures over the world's typed
 * arrays. It follows XState v5's algorithm (SCXML): innermost-first transition selection per region,
 * conflicting transitions removed, exit set below the transition domain, entry in document order with
 * default entry of initial states and parallel regions. The XState reference defines the semantics; a
 * property test holds the two to identical traces.
 */
export class CompiledKernel implements Kernel {
  readonly name = 'compiled' as const;
  private readonly actors: FlatActor[];
  private readonly active: Uint8Array[];
  /** The active child of each compound state (stale for inactive states). */
  private readonly activeChild: Int32Array[];
  /** The turn each state was last entered (0: initially active; stale for inactive states). */
  private readonly entered: Int32Array[];
  private readonly selected: FlatTransition[] = [];
  private selectedCount = 0;
  private readonly filtered: FlatTransition[] = [];
  private readonly entering: Uint8Array;

  constructor(model: Model, options: { readonly interpretGuards?: boolean } = {}) {
    this.active = model.actors.map((a) => new Uint8Array(a.states.length));
    const flags = (actor: number) => this.active[actor];
    // Built before the tables: compiled guards keep a reference to these arrays.
    this.entered = model.actors.map((a) => new Int32Array(a.states.length));
    const dates = (actor: number) => this.entered[actor];
    const compile = options.interpretGuards === true ? interpret : (c: Cond) => compileCondition(c, flags, dates);
    this.actors = model.actors.map((a) => flatten(model, a, compile));
    this.activeChild = this.actors.map((a) => new Int32Array(a.size));
    this.entering = new Uint8Array(Math.max(1, ...this.actors.map((a) => a.size)));
  }

  reset(): void {
    for (let a = 0; a < this.actors.length; a++) this.resetActor(a);
  }

  save(): KernelSnapshot {
    return [...this.active.map((x) => x.slice()), ...this.activeChild.map((x) => x.slice()), ...this.entered.map((x) => x.slice())];
  }

  restore(snapshot: KernelSnapshot): void {
    const n = this.active.length;
    for (let a = 0; a < n; a++) {
      (this.active[a] as Uint8Array).set(snapshot[a] as Uint8Array);
      (this.activeChild[a] as Int32Array).set(snapshot[n + a] as Int32Array);
      (this.entered[a] as Int32Array).set(snapshot[2 * n + a] as Int32Array);
    }
  }

  /** Puts one actor in its initial state. */
  resetActor(a: number): void {
    const flat = this.actors[a] as FlatActor;
    (this.active[a] as Uint8Array).set(flat.initialActive);
    (this.activeChild[a] as Int32Array).set(flat.initialChild);
    (this.entered[a] as Int32Array).fill(0);
  }

  can(actor: number, event: EventInstance, world: WorldView): boolean {
    const flat = this.actors[actor] as FlatActor;
    const reach = flat.reach[event.type];
    return reach !== undefined && this.anyEnabled(flat, this.activeChild[actor] as Int32Array, reach, 0, event, world);
  }

  handles(actor: number, type: number): boolean {
    return (this.actors[actor] as FlatActor).byEvent[type] !== undefined;
  }

  acceptsAlways(actor: number, state: number, event: EventInstance): boolean {
    const flat = this.actors[actor] as FlatActor;
    const perState = flat.byEvent[event.type];
    if (perState === undefined) return false;
    for (let s = state; s >= 0; s = flat.parent[s] as number) {
      if (perState[s]?.some((t) => t.chance === undefined && (t.when === undefined || evaluateStatically(t.when, event) === true)) === true) return true;
    }
    return false;
  }

  deliver(actor: number, event: EventInstance, world: WorldView, log: DeliveryLog): void {
    const flat = this.actors[actor] as FlatActor;
    const reach = flat.reach[event.type];
    if (reach === undefined) return;
    const active = this.active[actor] as Uint8Array;
    const activeChild = this.activeChild[actor] as Int32Array;
    this.selectedCount = 0;
    this.select(flat, activeChild, reach, 0, event, world);
    const n = this.selectedCount;
    if (n === 0) return;
    if (n === 1) {
      const t = this.selected[0] as FlatTransition;
      if (t.domain >= 0) active.fill(0, t.domain + 1, flat.end[t.domain]);
      log.fire(t.rule);
      for (let i = 0; i < t.effects.length; i++) log.effect(t.effects[i] as EffectEntry);
      this.enter(flat, active, activeChild, t.entered, log, actor, event.turn);
      return;
    }
    const taken = this.removeConflicts(flat);
    // Exit: every active state strictly below each taken transition's domain.
    for (const t of taken) if (t.domain >= 0) active.fill(0, t.domain + 1, flat.end[t.domain]);
    // Transition content, in order.
    for (const t of taken) {
      log.fire(t.rule);
      for (const e of t.effects) log.effect(e);
    }
    this.enter(flat, active, activeChild, this.entrySet(flat, taken), log, actor, event.turn);
  }

  /** Enters states in document order, running their entry effects. */
  private enter(flat: FlatActor, active: Uint8Array, activeChild: Int32Array, entered: Int32Array, log: DeliveryLog, actor: number, turn: number): void {
    const dates = this.entered[actor] as Int32Array;
    for (let i = 0; i < entered.length; i++) {
      const s = entered[i] as number;
      active[s] = 1;
      dates[s] = turn;
      const parent = flat.parent[s] as number;
      if (parent >= 0) activeChild[parent] = s;
      const entry = flat.entry[s] as readonly EffectEntry[];
      if (entry.length === 0) continue;
      log.fire((entry[0] as EffectEntry).rule);
      for (let k = 0; k < entry.length; k++) log.effect(entry[k] as EffectEntry);
    }
  }

  /** An actor's flat tables and live state, for the specialiser (src/engine/specialise.ts). */
  tables(actor: number): { readonly flat: FlatActor; readonly active: Uint8Array; readonly activeChild: Int32Array; readonly entered: Int32Array } {
    return { flat: this.actors[actor] as FlatActor, active: this.active[actor] as Uint8Array, activeChild: this.activeChild[actor] as Int32Array, entered: this.entered[actor] as Int32Array };
  }

  activeFlags(actor: number): Uint8Array {
    return this.active[actor] as Uint8Array;
  }

  /** The live array of the turns the actor's states were last entered, indexed like `inState`. */
  enteredTurns(actor: number): Int32Array {
    return this.entered[actor] as Int32Array;
  }

  inState(actor: number, state: number): boolean {
    return (this.active[actor] as Uint8Array)[state] === 1;
  }

  enteredAt(actor: number, state: number): number {
    return (this.entered[actor] as Int32Array)[state] as number;
  }

  label(actor: number): string {
    const flat = this.actors[actor] as FlatActor;
    const active = this.active[actor] as Uint8Array;
    const out: string[] = [];
    for (let s = 1; s < flat.size; s++) if (active[s] === 1 && flat.kind[s] === ATOMIC) out.push(flat.paths[s] as string);
    return out.join(', ');
  }

  /** Copies an actor's active states (for exploration). */
  saveState(actor: number): Uint8Array {
    return (this.active[actor] as Uint8Array).slice();
  }

  /** Restores what saveState returned, and the turns the states were entered (default: all 0). */
  restoreState(actor: number, state: Uint8Array, entered?: Int32Array): void {
    const flat = this.actors[actor] as FlatActor;
    const active = this.active[actor] as Uint8Array;
    const activeChild = this.activeChild[actor] as Int32Array;
    active.set(state);
    if (entered === undefined) (this.entered[actor] as Int32Array).fill(0);
    else (this.entered[actor] as Int32Array).set(entered);
    for (let s = 1; s < flat.size; s++) if (active[s] === 1) activeChild[flat.parent[s] as number] = s;
  }

  /** XState's transitionNode: innermost first; a region without a transition defers to its ancestors. */
  private select(flat: FlatActor, activeChild: Int32Array, reach: Uint8Array, s: number, event: EventInstance, world: WorldView): void {
    const before = this.selectedCount;
    const kind = flat.kind[s];
    if (kind === COMPOUND) {
      const c = activeChild[s] as number;
      if (reach[c] === 1) this.select(flat, activeChild, reach, c, event, world);
    } else if (kind === PARALLEL) {
      const kids = flat.children[s] as Int32Array;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i] as number;
        if (reach[c] === 1) this.select(flat, activeChild, reach, c, event, world);
      }
    }
    if (this.selectedCount > before) return;
    const list = (flat.byEvent[event.type] as ReadonlyArray<readonly FlatTransition[] | undefined>)[s];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      const t = list[i] as FlatTransition;
      if (t.guard === undefined || t.guard(world, event)) {
        this.selected[this.selectedCount++] = t;
        return;
      }
    }
  }

  /** True when `select` would choose at least one transition (XState's `can`), stopping at the first. */
  private anyEnabled(flat: FlatActor, activeChild: Int32Array, reach: Uint8Array, s: number, event: EventInstance, world: WorldView): boolean {
    const kind = flat.kind[s];
    if (kind === COMPOUND) {
      const c = activeChild[s] as number;
      if (reach[c] === 1 && this.anyEnabled(flat, activeChild, reach, c, event, world)) return true;
    } else if (kind === PARALLEL) {
      const kids = flat.children[s] as Int32Array;
      for (let i = 0; i < kids.length; i++) {
        const c = kids[i] as number;
        if (reach[c] === 1 && this.anyEnabled(flat, activeChild, reach, c, event, world)) return true;
      }
    }
    const list = flat.byEvent[event.type]?.[s];
    if (list === undefined) return false;
    for (const t of list) if (t.guard === undefined || t.guard(world, event)) return true;
    return false;
  }

  /** XState's removeConflictingTransitions: of two transitions exiting a common state, the inner source wins. */
  private removeConflicts(flat: FlatActor): FlatTransition[] {
    const kept = this.filtered;
    kept.length = 0;
    for (let i = 0; i < this.selectedCount; i++) {
      const t1 = this.selected[i] as FlatTransition;
      let preempted = false;
      const remove: FlatTransition[] = [];
      for (const t2 of kept) {
        if (exitSetsIntersect(flat, t1, t2)) {
          if (isDescendant(flat, t1.source, t2.source)) remove.push(t2);
          else {
            preempted = true;
            break;
          }
        }
      }
      if (!preempted) {
        for (const r of remove) kept.splice(kept.indexOf(r), 1);
        kept.push(t1);
      }
    }
    return kept;
  }

  /** The states entered by several transitions of one microstep, in document order. */
  private entrySet(flat: FlatActor, taken: readonly FlatTransition[]): Int32Array {
    const mark = this.entering;
    mark.fill(0, 0, flat.size);
    for (const t of taken) addEntry(flat, t.source, t.target, t.domain, mark);
    const out: number[] = [];
    for (let s = 0; s < flat.size; s++) if (mark[s] === 1) out.push(s);
    return Int32Array.from(out);
  }
}

function interpret(c: Cond): CompiledCondition {
  return (world, event) => evaluate(c, world, event);
}

function flatten(model: Model, actor: ActorModel, compile: (c: Cond) => CompiledCondition): FlatActor {
  const size = actor.states.length;
  const parent = Int32Array.from(actor.states.map((s) => s.parent));
  const depth = Int32Array.from(actor.states.map((s) => s.depth));
  const kind = Uint8Array.from(actor.states.map((s) => (s.kind === 'parallel' ? PARALLEL : s.kind === 'compound' ? COMPOUND : ATOMIC)));
  const children = actor.states.map((s) => Int32Array.from(s.children));
  const initial = Int32Array.from(actor.states.map((s) => (s.initial >= 0 ? (s.children[s.initial] as number) : -1)));
  const end = new Int32Array(size);
  for (let s = size - 1; s >= 0; s--) {
    const kids = children[s] as Int32Array;
    end[s] = kids.length === 0 ? s + 1 : (end[kids[kids.length - 1] as number] as number);
  }
  const base = { size, end, parent, depth, kind, children, initial };
  const byEvent: Array<Array<FlatTransition[] | undefined> | undefined> = model.events.map(() => undefined);
  for (const t of actor.transitions) {
    const domain = t.target < 0 ? -1 : transitionDomain(base, t.state, t.target);
    const mark = new Uint8Array(size);
    if (t.target >= 0) addEntry(base, t.state, t.target, domain, mark);
    const entered: number[] = [];
    for (let s = 0; s < size; s++) if (mark[s] === 1) entered.push(s);
    const flat: FlatTransition = {
      source: t.state,
      target: t.target,
      guard: t.chance !== undefined ? compileChance(t.rule, t.chance, t.when === undefined ? undefined : compile(t.when), compile) : t.when === undefined ? undefined : compile(t.when),
      when: t.when,
      chance: t.chance,
      rule: t.rule,
      effects: t.effects.map((effect) => ({ effect, rule: t.rule })),
      domain,
      entered: Int32Array.from(entered),
    };
    const perState = (byEvent[t.event] ??= new Array<FlatTransition[] | undefined>(size).fill(undefined));
    (perState[t.state] ??= []).push(flat);
  }
  const reach = byEvent.map((perState) => {
    if (perState === undefined) return undefined;
    const r = new Uint8Array(size);
    for (let s = 0; s < size; s++) {
      if (perState[s] === undefined) continue;
      for (let x = s; x >= 0; x = parent[x] as number) r[x] = 1;
    }
    return r;
  });
  const initialActive = new Uint8Array(size);
  const enterDefault = (s: number) => {
    initialActive[s] = 1;
    if (kind[s] === COMPOUND) enterDefault(initial[s] as number);
    else if (kind[s] === PARALLEL) for (const c of children[s] as Int32Array) enterDefault(c);
  };
  enterDefault(0);
  return {
    ...base,
    initialChild: Int32Array.from(initial, (c) => Math.max(0, c)),
    byEvent,
    reach,
    entry: actor.states.map((s) => s.entry.map((effect) => ({ effect, rule: s.entryRule }))),
    paths: actor.states.map((s) => s.path),
    initialActive,
  };
}

interface Tree {
  readonly size: number;
  readonly end: Int32Array;
  readonly parent: Int32Array;
  readonly depth: Int32Array;
  readonly kind: Uint8Array;
  readonly children: readonly Int32Array[];
  readonly initial: Int32Array;
}

/** True when `a` is a strict descendant of `b` (pre-order: descendants form a contiguous range). */
function isDescendant(tree: Tree, a: number, b: number): boolean {
  return a > b && a < (tree.end[b] as number);
}

/** XState's getTransitionDomain for a non-reentering transition with one target. */
function transitionDomain(tree: Tree, source: number, target: number): number {
  if (target === source || isDescendant(tree, target, source)) return source;
  for (let anc = tree.parent[target] as number; anc >= 0; anc = tree.parent[anc] as number) {
    if (isDescendant(tree, source, anc)) return anc;
  }
  return 0;
}

function exitSetsIntersect(tree: Tree, t1: FlatTransition, t2: FlatTransition): boolean {
  if (t1.domain < 0 || t2.domain < 0) return false;
  const inner = t1.domain === t2.domain || isDescendant(tree, t1.domain, t2.domain) ? t1.domain : isDescendant(tree, t2.domain, t1.domain) ? t2.domain : -1;
  return inner >= 0 && tree.kind[inner] !== ATOMIC;
}

/** XState's computeEntrySet for one transition, marking states to enter in `mark`. */
function addEntry(tree: Tree, source: number, target: number, domain: number, mark: Uint8Array): void {
  if (target < 0) return;
  if (source !== target || source !== domain) mark[target] = 1;
  addDescendants(tree, target, mark);
  const ancestors: number[] = [];
  if (target !== domain) for (let a = tree.parent[target] as number; a >= 0 && a !== domain; a = tree.parent[a] as number) ancestors.push(a);
  if (tree.kind[domain] === PARALLEL) ancestors.push(domain);
  for (const anc of ancestors) {
    if (isDescendant(tree, anc, domain)) mark[anc] = 1;
    if (tree.kind[anc] === PARALLEL) {
      for (const child of tree.children[anc] as Int32Array) {
        if (!hasMarkedDescendant(tree, child, mark)) {
          mark[child] = 1;
          addDescendants(tree, child, mark);
        }
      }
    }
  }
}

function addDescendants(tree: Tree, s: number, mark: Uint8Array): void {
  if (tree.kind[s] === COMPOUND) {
    const i = tree.initial[s] as number;
    mark[i] = 1;
    addDescendants(tree, i, mark);
  } else if (tree.kind[s] === PARALLEL) {
    for (const child of tree.children[s] as Int32Array) {
      if (!hasMarkedDescendant(tree, child, mark)) {
        mark[child] = 1;
        addDescendants(tree, child, mark);
      }
    }
  }
}

function hasMarkedDescendant(tree: Tree, s: number, mark: Uint8Array): boolean {
  // Pre-order: the descendants of s are exactly s+1 … end[s]-1.
  const end = tree.end[s] as number;
  for (let x = s + 1; x < end; x++) if (mark[x] === 1) return true;
  return false;
}
