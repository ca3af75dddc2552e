import type { Problem } from './problem.ts';
import type { ConditionDef, EffectDef, ModifierDef, Scenario, StateNodeDef } from './schema.ts';
import { LIMITS } from './schema.ts';
import { flattenStates, transitionsOf, unreachableStates } from './state-tree.ts';

type Path = Array<string | number>;

/**
 * Warnings about traps a valid scenario can still fall into (issue 12): a probability of 0 that any
 * `add` modifier opens, modifiers that stack past 1 (and are clamped), a chance reaction that never fires
 * or whose modifiers cannot change its odds, and outcomes or `always`
 * invariants whose condition can never hold (an act nothing produces, a state nothing enters, a rung no
 * act reaches, a turn past the end, a variable outside its bounds). Pure; assumes `crossCheck` passed.
 */
export function lintScenario(s: Scenario): Problem[] {
  const out: Problem[] = [];
  const warn = (code: string, path: Path, message: string) => out.push({ code: `scenario/${code}`, severity: 'warning', path, message });

  const odds = (probability: number, modifiers: readonly ModifierDef[] | undefined, path: Path, what: string) => {
    const list = modifiers ?? [];
    const adds = list.filter((m) => m.add !== undefined && m.add > 0).length;
    // One add on a base of 0 is a precondition written as odds; several make a move that any one opens.
    if (probability === 0 && adds > 1 && !list.some((m) => m.set !== undefined))
      warn(
        'opened_by_add',
        [...path, 'probability'],
        `${what} has probability 0 and ${adds} "add" modifiers: it is possible whenever any one of them applies, whatever the others say; if it needs a condition, write it as "when:" (a precondition)`,
      );
    let high = probability;
    for (const m of list) {
      if (m.add !== undefined && m.add > 0) high += m.add;
      else if (m.multiply !== undefined && m.multiply > 1) high *= m.multiply;
      else if (m.set !== undefined) high = Math.max(high, m.set);
    }
    if (list.length > 0 && high > 1 + 1e-12)
      warn('probability_past_one', [...path, 'modifiers'], `${what}'s modifiers together can raise its probability to ${round(high)}, which is clamped to 1: check that they are meant to stack`);
  };

  // A chance reaction that never fires, or whose modifiers can never change its odds: every subset of
  // its modifiers applied in order (their conditions taken as independent), clamped as the engine does.
  const chance = (probability: number, modifiers: readonly ModifierDef[] | undefined, path: Path, what: string): boolean => {
    const list = modifiers ?? [];
    if (list.length > 10) return false;
    const results = new Set<number>();
    for (let mask = 0; mask < 1 << list.length; mask++) {
      let p = probability;
      list.forEach((m, i) => {
        if ((mask & (1 << i)) === 0) return;
        if (m.add !== undefined) p += m.add;
        else if (m.multiply !== undefined) p *= m.multiply;
        else if (m.set !== undefined) p = m.set;
      });
      results.add(p < 0 ? 0 : p > 1 ? 1 : p);
    }
    if (results.size !== 1) return false;
    const only = [...results][0] as number;
    if (only === 0)
      warn(
        'chance_never_fires',
        [...path, list.length > 0 ? 'modifiers' : 'probability'],
        `${what} has probability 0${list.length > 0 ? ' and no modifier can raise it' : ''}: it never fires; give it a chance or remove it`,
      );
    else if (list.length > 0)
      warn('chance_modifiers_inert', [...path, 'modifiers'], `${what}: its modifiers can never change its probability of ${round(only)} (the result is clamped to [0, 1]): check their values`);
    else return false;
    return true;
  };

  // What can ever happen: the event types some rule produces, the states something enters, the highest rung.
  const produced = new Set<string>();
  const emits = (list: readonly EffectDef[] | undefined) => {
    for (const e of list ?? []) if (e.emit !== undefined) produced.add(e.emit.event);
  };
  const unreachable = new Map<string, string[]>();
  for (const [actorId, actor] of Object.entries(s.actors)) {
    const states = flattenStates(actor.statechart as StateNodeDef);
    unreachable.set(actorId, unreachableStates(states));
    for (const st of states) {
      emits(st.def.entry as EffectDef[] | undefined);
      for (const ev of Object.keys(st.def.on ?? {})) {
        const single = !Array.isArray(st.def.on?.[ev]);
        transitionsOf(st.def, ev).forEach((t, i) => {
          emits(t.effects);
          if (t.probability === undefined) return;
          const sp = ['actors', actorId, 'statechart', ...st.path.split('.').filter((x) => x !== '').flatMap((x) => ['states', x]), 'on', ev, ...(single ? [] : [i])];
          const what = `the chance reaction to ${ev} in "${st.path || '(root)'}"`;
          if (!chance(t.probability, t.modifiers as ModifierDef[] | undefined, sp, what)) odds(t.probability, t.modifiers as ModifierDef[] | undefined, sp, what);
        });
      }
      for (const [moveId, m] of Object.entries(st.def.moves ?? {})) {
        produced.add(m.event);
        const sp = ['actors', actorId, 'statechart', ...st.path.split('.').filter((x) => x !== '').flatMap((x) => ['states', x]), 'moves', moveId];
        odds(m.probability, m.modifiers as ModifierDef[] | undefined, sp, `move "${moveId}"`);
      }
    }
  }
  for (const [id, sh] of Object.entries(s.shocks ?? {})) {
    produced.add(sh.event);
    odds(sh.probability, sh.modifiers, ['shocks', id], `shock "${id}"`);
  }
  for (const inj of Object.values(s.script ?? {})) produced.add(inj.event);
  const rungIds = s.ladder.rungs.map((r) => r.id);
  const top = Math.max(-1, ...[...produced].map((e) => rungIds.indexOf(s.events[e]?.rung ?? '')));

  /** Why the condition can never hold at a turn's end up to `lastTurn`, or undefined when it may. */
  const never = (c: ConditionDef, lastTurn: number, depth = 0): string | undefined => {
    if (depth > LIMITS.conditionDepth) return undefined;
    if (c.all !== undefined) {
      for (const x of c.all) {
        const why = never(x, lastTurn, depth + 1);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    if (c.any !== undefined) {
      const whys = c.any.map((x) => never(x, lastTurn, depth + 1));
      return whys.every((w) => w !== undefined) ? whys.join('; and ') : undefined;
    }
    if (c.happened !== undefined && !produced.has(c.happened.event)) return `no move, reaction, shock or inject produces ${c.happened.event}`;
    if (c.state?.actor !== undefined) {
      const dead = (unreachable.get(c.state.actor) ?? []).find((p) => c.state?.in === p || c.state?.in.startsWith(`${p}.`));
      if (dead !== undefined) return `${c.state.actor} can never enter "${dead}"`;
    }
    if (c.peak !== undefined) {
      const p = c.peak;
      const need = Math.max(p.gte === undefined ? -1 : rungIds.indexOf(p.gte), p.gt === undefined ? -1 : rungIds.indexOf(p.gt) + 1, p.eq === undefined ? -1 : rungIds.indexOf(p.eq));
      if (need > top) return `no act reaches ${rungIds[need]} (the highest rung any act signals is ${rungIds[top] ?? 'none'})`;
    }
    if (c.turn !== undefined) {
      const t = c.turn;
      const first = Math.max(t.gte ?? 1, t.gt === undefined ? 1 : t.gt + 1, t.eq ?? 1);
      if (first > lastTurn) return `turn ${first} comes after turn ${lastTurn}`;
    }
    if (c.var !== undefined) {
      const v = s.variables?.[c.var.name];
      const low = v?.min ?? -Infinity;
      const high = v?.max ?? Infinity;
      const x = c.var;
      if ((x.gte !== undefined && x.gte > high) || (x.gt !== undefined && x.gt >= high) || (x.eq !== undefined && (x.eq > high || x.eq < low)))
        return `${x.name} never exceeds its max ${high}`;
      if ((x.lte !== undefined && x.lte < low) || (x.lt !== undefined && x.lt <= low)) return `${x.name} never falls below its min ${low}`;
    }
    return undefined;
  };
  for (const [id, o] of Object.entries(s.outcomes ?? {})) {
    const why = never(o.when, o.by ?? s.time.turns);
    if (why !== undefined) warn('outcome_cannot_hold', ['outcomes', id, 'when'], `outcome "${id}" can never be reached: ${why}`);
  }
  for (const [id, inv] of Object.entries(s.invariants ?? {})) {
    const why = inv.always === undefined ? undefined : never(inv.always, s.time.turns);
    if (why !== undefined) warn('invariant_cannot_hold', ['invariants', id, 'always'], `invariant "${id}" is broken by every run: its condition can never hold (${why})`);
  }
  return out;
}

function round(x: number): string {
  return String(Math.round(x * 1000) / 1000);
}
