import { type RunRecord, reachedOutcome } from '../engine/run.ts';
import type { Model, RuleKind } from '../model/types.ts';
import { type AggregateData, BatchAggregate } from './aggregate.ts';
import type { PairedCounts } from './paired-difference.ts';

/** A scope both scenarios have: overall (slot -1) or a theatre matched by id. */
export interface PairedScope {
  readonly scope: string;
  readonly name: string;
  readonly base: number;
  readonly variant: number;
}

/** A rung both ladders have, matched by id. */
export interface PairedRungRef {
  readonly id: string;
  readonly name: string;
  readonly base: number;
  readonly variant: number;
}

/** A rule of either scenario, matched by id; -1 where a side has no such rule (it never fires there). */
export interface PairedRuleRef {
  readonly id: string;
  readonly kind: RuleKind;
  readonly base: number;
  readonly variant: number;
}

/** An outcome both scenarios declare, matched by id. */
export interface PairedOutcomeRef {
  readonly id: string;
  readonly text: string;
  readonly base: number;
  readonly variant: number;
}

/** What a PairedAggregate holds, as structured-cloneable data (for a worker's message). */
export interface PairedAggregateData {
  readonly runs: number;
  readonly peakCells: Uint32Array;
  readonly ruleCells: Uint32Array;
  readonly outcomeCells: Uint32Array;
  readonly variant: AggregateData;
}

/**
 * A streaming aggregate of paired runs — run i of the base and run i of a variant, played on the same
 * seed — keeping the 2×2 counts of (base reached it?, variant reached it?) for every shared scope and
 * rung, and for every rule (fired at least once?), plus the variant's own BatchAggregate. Memory does
 * not grow with the number of runs. Scopes, rungs and rules are matched by their string ids, so a
 * variant may add or drop actors, theatres, rungs and rules.
 */
export class PairedAggregate {
  runs = 0;
  readonly scopes: readonly PairedScope[];
  readonly rungs: readonly PairedRungRef[];
  readonly rules: readonly PairedRuleRef[];
  /** Outcomes both scenarios declare (by id), in the base's order. */
  readonly outcomes: readonly PairedOutcomeRef[];
  /** `outcome * 4 + cell`. */
  readonly outcomeCells: Uint32Array;
  /** `(scope * rungs + rung) * 4 + cell`, cells in {@link PairedCounts} order: both, baseOnly, variantOnly, neither. */
  readonly peakCells: Uint32Array;
  /** `rule * 4 + cell`. */
  readonly ruleCells: Uint32Array;
  readonly variantAggregate: BatchAggregate;

  constructor(
    readonly base: Model,
    readonly variant: Model,
  ) {
    const theatres = base.theatres.flatMap((t, i) => {
      const j = variant.theatres.findIndex((u) => u.id === t.id);
      return j < 0 ? [] : [{ scope: t.id, name: t.name, base: i, variant: j }];
    });
    this.scopes = [{ scope: 'overall', name: 'Overall', base: -1, variant: -1 }, ...theatres];
    this.rungs = base.rungs.flatMap((r) => {
      const j = variant.rungs.findIndex((u) => u.id === r.id);
      return j < 0 ? [] : [{ id: r.id, name: r.name, base: r.index, variant: j }];
    });
    const variantRule = new Map(variant.rules.map((r) => [r.id, r.index]));
    const baseIds = new Set(base.rules.map((r) => r.id));
    this.rules = [
      ...base.rules.map((r) => ({ id: r.id, kind: r.kind, base: r.index, variant: variantRule.get(r.id) ?? -1 })),
      ...variant.rules.filter((r) => !baseIds.has(r.id)).map((r) => ({ id: r.id, kind: r.kind, base: -1, variant: r.index })),
    ];
    this.peakCells = new Uint32Array(this.scopes.length * this.rungs.length * 4);
    this.ruleCells = new Uint32Array(this.rules.length * 4);
    this.outcomes = base.outcomes.flatMap((o) => {
      const j = variant.outcomes.findIndex((u) => u.id === o.id);
      return j < 0 ? [] : [{ id: o.id, text: o.text, base: o.index, variant: j }];
    });
    this.outcomeCells = new Uint32Array(this.outcomes.length * 4);
    this.variantAggregate = new BatchAggregate(variant);
  }

  /** Adds run `index`: the base's record and the variant's, both from the same run seed. */
  add(baseRecord: RunRecord, variantRecord: RunRecord, index: number): void {
    if (baseRecord.seed !== variantRecord.seed) throw new Error(`PairedAggregate.add: seeds differ (${baseRecord.seed} vs ${variantRecord.seed})`);
    this.runs++;
    const peakOf = (r: RunRecord, slot: number) => (slot < 0 ? r.overallPeak : (r.theatrePeaks[slot] as number));
    const R = this.rungs.length;
    this.scopes.forEach((sc, s) => {
      const pb = peakOf(baseRecord, sc.base);
      const pv = peakOf(variantRecord, sc.variant);
      for (let k = 0; k < R; k++) {
        const rung = this.rungs[k] as PairedRungRef;
        const cell = cellOf(pb >= rung.base, pv >= rung.variant);
        const i = (s * R + k) * 4 + cell;
        this.peakCells[i] = (this.peakCells[i] as number) + 1;
      }
    });
    this.rules.forEach((rule, r) => {
      const b = rule.base >= 0 && (baseRecord.ruleCounts[rule.base] as number) > 0;
      const v = rule.variant >= 0 && (variantRecord.ruleCounts[rule.variant] as number) > 0;
      const i = r * 4 + cellOf(b, v);
      this.ruleCells[i] = (this.ruleCells[i] as number) + 1;
    });
    this.outcomes.forEach((o, k) => {
      const i = k * 4 + cellOf(reachedOutcome(this.base, baseRecord, o.base), reachedOutcome(this.variant, variantRecord, o.variant));
      this.outcomeCells[i] = (this.outcomeCells[i] as number) + 1;
    });
    this.variantAggregate.add(variantRecord, index);
  }

  /** Plain data, for a worker's message. */
  toData(): PairedAggregateData {
    return { runs: this.runs, peakCells: this.peakCells, ruleCells: this.ruleCells, outcomeCells: this.outcomeCells, variant: this.variantAggregate.toData() };
  }

  /** Adds another paired aggregate of disjoint runs of the same two models (order-free). */
  merge(other: PairedAggregateData): void {
    if (other.peakCells.length !== this.peakCells.length || other.ruleCells.length !== this.ruleCells.length || other.outcomeCells.length !== this.outcomeCells.length) {
      throw new Error('PairedAggregate.merge: aggregates of different models');
    }
    this.runs += other.runs;
    for (let i = 0; i < this.peakCells.length; i++) this.peakCells[i] = (this.peakCells[i] as number) + (other.peakCells[i] as number);
    for (let i = 0; i < this.ruleCells.length; i++) this.ruleCells[i] = (this.ruleCells[i] as number) + (other.ruleCells[i] as number);
    for (let i = 0; i < this.outcomeCells.length; i++) this.outcomeCells[i] = (this.outcomeCells[i] as number) + (other.outcomeCells[i] as number);
    this.variantAggregate.merge(other.variant);
  }

  /** The 2×2 counts of a scope and rung (indices into `scopes` and `rungs`). */
  peakCounts(scope: number, rung: number): PairedCounts {
    return counts(this.peakCells, (scope * this.rungs.length + rung) * 4);
  }

  /** The 2×2 counts of an outcome (index into `outcomes`). */
  outcomeCounts(k: number): PairedCounts {
    return counts(this.outcomeCells, k * 4);
  }

  /** The 2×2 counts of a rule (index into `rules`). */
  ruleCounts(rule: number): PairedCounts {
    return counts(this.ruleCells, rule * 4);
  }
}

function cellOf(base: boolean, variant: boolean): number {
  return base ? (variant ? 0 : 1) : variant ? 2 : 3;
}

function counts(a: Uint32Array, at: number): PairedCounts {
  return { both: a[at] as number, baseOnly: a[at + 1] as number, variantOnly: a[at + 2] as number, neither: a[at + 3] as number };
}
