import { produce } from 'immer';
import { stringify } from 'yaml';
import type { InjectDef, Scenario, StateNodeDef } from '../scenario/schema.ts';

/**
 * One small, named change to a scenario. A variant is a list of them, so that fast-check shrinks a
 * failing variant toward fewer and smaller edits, and a person can read what changed.
 * `state` and `parent` are dotted state paths from the actor's root (`''` is the root).
 */
export type ScenarioEdit =
  | { readonly kind: 'setProbability'; readonly actor: string; readonly state: string; readonly move: string; readonly value: number }
  | { readonly kind: 'disableMove'; readonly actor: string; readonly state: string; readonly move: string }
  | { readonly kind: 'setShockProbability'; readonly shock: string; readonly value: number }
  | { readonly kind: 'setInitialState'; readonly actor: string; readonly parent: string; readonly initial: string }
  | { readonly kind: 'setVariable'; readonly variable: string; readonly initial: number }
  | { readonly kind: 'addInject'; readonly id: string; readonly inject: InjectDef }
  | { readonly kind: 'removeInject'; readonly id: string };

export type EditKind = ScenarioEdit['kind'];

/** What an edit changes: two edits with the same key would fight over it. */
export function editKey(e: ScenarioEdit): string {
  switch (e.kind) {
    case 'setProbability':
    case 'disableMove':
      return `move:${e.actor}:${e.state}:${e.move}`;
    case 'setShockProbability':
      return `shock:${e.shock}`;
    case 'setInitialState':
      return `initial:${e.actor}:${e.parent}`;
    case 'setVariable':
      return `variable:${e.variable}`;
    case 'addInject':
    case 'removeInject':
      return `inject:${e.id}`;
  }
}

function segments(path: string): string[] {
  return path === '' ? [] : path.split('.');
}

function nodeAt(root: StateNodeDef, path: string, what: string): StateNodeDef {
  let node = root;
  for (const seg of segments(path)) {
    const next = node.states?.[seg];
    if (next === undefined) throw new Error(`${what}: no state "${path}"`);
    node = next;
  }
  return node;
}

function statechart(s: Scenario, actor: string, what: string): StateNodeDef {
  const a = s.actors[actor];
  if (a === undefined) throw new Error(`${what}: no actor "${actor}"`);
  return a.statechart;
}

/**
 * Applies edits in order with immer; the base is not changed. Throws an Error naming the edit when
 * its target does not exist. The result is not checked: `crossCheck` it, or use `variantOf`, whose
 * edits always give a valid scenario.
 */
export function applyEdits(base: Scenario, edits: readonly ScenarioEdit[]): Scenario {
  return produce(base, (draft) => {
    for (const e of edits) {
      const what = `edit ${JSON.stringify(e)}`;
      switch (e.kind) {
        case 'setProbability': {
          const move = nodeAt(statechart(draft, e.actor, what), e.state, what).moves?.[e.move];
          if (move === undefined) throw new Error(`${what}: no move "${e.move}"`);
          move.probability = e.value;
          break;
        }
        case 'disableMove': {
          const node = nodeAt(statechart(draft, e.actor, what), e.state, what);
          if (node.moves?.[e.move] === undefined) throw new Error(`${what}: no move "${e.move}"`);
          delete node.moves[e.move];
          break;
        }
        case 'setShockProbability': {
          const shock = draft.shocks?.[e.shock];
          if (shock === undefined) throw new Error(`${what}: no shock "${e.shock}"`);
          shock.probability = e.value;
          break;
        }
        case 'setInitialState': {
          const node = nodeAt(statechart(draft, e.actor, what), e.parent, what);
          if (node.states?.[e.initial] === undefined) throw new Error(`${what}: no child state "${e.initial}"`);
          node.initial = e.initial;
          break;
        }
        case 'setVariable': {
          const v = draft.variables?.[e.variable];
          if (v === undefined) throw new Error(`${what}: no variable "${e.variable}"`);
          v.initial = e.initial;
          break;
        }
        case 'addInject':
          if (draft.script?.[e.id] !== undefined) throw new Error(`${what}: inject "${e.id}" exists`);
          draft.script ??= {};
          draft.script[e.id] = e.inject;
          break;
        case 'removeInject':
          if (draft.script?.[e.id] === undefined) throw new Error(`${what}: no inject "${e.id}"`);
          delete draft.script[e.id];
          break;
      }
    }
  });
}

function recipients(to: InjectDef['to']): string {
  if (to === undefined || to === 'all') return '';
  return ` to ${to.length === 0 ? 'nobody' : to.join(', ')}`;
}

function injectWords(inj: InjectDef): string {
  const data = inj.data === undefined ? '' : ` (${Object.entries(inj.data).map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`;
  return `${inj.turn === undefined ? `${inj.after?.turns ?? 0} turns after ${inj.after?.event ?? ''}` : `turn ${inj.turn}`}, ${inj.from} ${inj.event}${data}${recipients(inj.to)}`;
}

/** An edit in words, with the value it replaces: `A's move "protest" (in calm): probability 0.3 → 0.5`. */
export function describeEdit(base: Scenario, e: ScenarioEdit): string {
  const where = (state: string) => (state === '' ? 'at the root' : `in ${state}`);
  const node = (actor: string, path: string): StateNodeDef | undefined => {
    let n: StateNodeDef | undefined = base.actors[actor]?.statechart;
    for (const seg of segments(path)) n = n?.states?.[seg];
    return n;
  };
  switch (e.kind) {
    case 'setProbability':
      return `${e.actor}'s move "${e.move}" (${where(e.state)}): probability ${node(e.actor, e.state)?.moves?.[e.move]?.probability ?? '?'} → ${e.value}`;
    case 'disableMove':
      return `${e.actor}'s move "${e.move}" (${where(e.state)}) removed`;
    case 'setShockProbability':
      return `shock "${e.shock}": probability ${base.shocks?.[e.shock]?.probability ?? '?'} → ${e.value}`;
    case 'setInitialState': {
      const was = node(e.actor, e.parent)?.initial ?? '?';
      return e.parent === ''
        ? `${e.actor} starts in ${e.initial} instead of ${was}`
        : `${e.actor}'s ${e.parent} starts in ${e.initial} instead of ${was}`;
    }
    case 'setVariable':
      return `variable ${e.variable} starts at ${e.initial} instead of ${base.variables?.[e.variable]?.initial ?? '?'}`;
    case 'addInject':
      return `inject ${e.id} added: ${injectWords(e.inject)}`;
    case 'removeInject': {
      const inj = base.script?.[e.id];
      return `inject ${e.id} removed${inj === undefined ? '' : ` (${injectWords(inj)})`}`;
    }
  }
}

function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((seg) => {
    const next = node[seg];
    if (next === null || typeof next !== 'object') node[seg] = {};
    node = node[seg] as Record<string, unknown>;
  });
  node[path[path.length - 1] as string] = value;
}

/**
 * The edits as an overlay in the format of `extends` (mappings merge, `null` removes a key): overlaid
 * on the base document, it gives the same scenario as `applyEdits`.
 */
export function toOverlay(edits: readonly ScenarioEdit[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const chart = (actor: string, path: string) => ['actors', actor, 'statechart', ...segments(path).flatMap((s) => ['states', s])];
  for (const e of edits) {
    switch (e.kind) {
      case 'setProbability':
        setIn(out, [...chart(e.actor, e.state), 'moves', e.move, 'probability'], e.value);
        break;
      case 'disableMove':
        setIn(out, [...chart(e.actor, e.state), 'moves', e.move], null);
        break;
      case 'setShockProbability':
        setIn(out, ['shocks', e.shock, 'probability'], e.value);
        break;
      case 'setInitialState':
        setIn(out, [...chart(e.actor, e.parent), 'initial'], e.initial);
        break;
      case 'setVariable':
        setIn(out, ['variables', e.variable, 'initial'], e.initial);
        break;
      case 'addInject':
        setIn(out, ['script', e.id], e.inject);
        break;
      case 'removeInject':
        setIn(out, ['script', e.id], null);
        break;
    }
  }
  return out;
}

/**
 * A variant file a person can save and run: `extends: <file>`, the edits in words as comments, then
 * the overlay. `file` is the base scenario's path as seen from where the variant is saved.
 */
export function renderOverlay(base: Scenario, edits: readonly ScenarioEdit[], file: string): string {
  const comments = edits.map((e) => `# ${describeEdit(base, e)}`);
  const body = stringify({ extends: file, ...toOverlay(edits) }, { lineWidth: 0 });
  return `${[`# A variant of ${base.metadata.id}: ${edits.length} edit${edits.length === 1 ? '' : 's'}`, ...comments].join('\n')}\n${body}`;
}
