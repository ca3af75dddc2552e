/** Issue 16: a run's narrative says how likely each move the actors chose was, that turn. */
import { describe, expect, test } from 'vitest';
import { replayWithMoveChances } from '../../src/analysis/move-chances.ts';
import { CompiledKernel } from '../../src/engine/compiled-kernel.ts';
import { deriveRunSeed } from '../../src/engine/rng.ts';
import { runOnce } from '../../src/engine/run.ts';
import { deriveMeta } from '../../src/analysis/summary.ts';
import { deriveRunReport } from '../../src/analysis/run-report.ts';
import { chanceText, modifierEffectText } from '../../src/report/format.ts';
import { renderRunMarkdown } from '../../src/report/markdown.ts';
import { renderRunText } from '../../src/report/text.ts';
import { loadValid } from '../helpers.ts';

const { model } = loadValid('scenarios/russia-dprk-2024.yaml');

describe('move chances in narratives', () => {
  test('the replay is the run itself, and every move it made has a chance in (0, 1] and its declared base', () => {
    let moves = 0;
    let moved = 0;
    for (let i = 0; i < 25; i++) {
      const seed = deriveRunSeed('5', i);
      const { record, chances } = replayWithMoveChances(model, new CompiledKernel(model), seed);
      const plain = runOnce(model, new CompiledKernel(model), seed, { trace: true });
      expect(record.events).toEqual(plain.events);
      for (const e of record.events) {
        if (e.origin !== 'move') continue;
        moves++;
        const c = chances.get(e.id);
        expect(c, `act #${e.id} of seed ${seed}`).toBeDefined();
        expect(c?.probability).toBeGreaterThan(0);
        expect(c?.probability).toBeLessThanOrEqual(1);
        const declared = model.actors[e.from]?.moves.find((m) => m.rule === e.rule);
        expect(c?.base).toBe(declared?.probability);
        if (c !== undefined && c.probability !== c.base) moved++;
      }
      expect(chances.size).toBe(record.events.filter((e) => e.origin === 'move').length);
    }
    expect(moves).toBeGreaterThan(50);
    expect(moved).toBeGreaterThan(0); // modifiers do change chances in the flagship
  });

  test('issue 12, item 11: each move says which modifiers applied that turn, and they account for its chance', () => {
    let applied = 0;
    let exact = 0;
    let notes = 0;
    for (let i = 0; i < 25; i++) {
      const seed = deriveRunSeed('5', i);
      const { chances } = replayWithMoveChances(model, new CompiledKernel(model), seed);
      for (const c of chances.values()) {
        notes++;
        expect(c.applied).toBeDefined();
        const list = c.applied ?? [];
        applied += list.length;
        for (const m of list) expect(m.reason).not.toBe('');
        // Base and the applied modifiers, in order and clamped, give the move's weight; the chance is that
        // weight, or less when the actor's moves together weighed more than 1.
        let p = c.base;
        for (const m of list) p = m.kind === 'add' ? p + m.value : m.kind === 'multiply' ? p * m.value : m.value;
        p = Math.min(1, Math.max(0, p));
        expect(c.probability).toBeLessThanOrEqual(p + 1e-12);
        if (Math.abs(p - c.probability) < 1e-12) exact++;
      }
    }
    expect(applied).toBeGreaterThan(10);
    expect(exact / notes).toBeGreaterThan(0.9);
  });

  test('every narrative format says the chance and the modifiers, with their reason and effect', () => {
    expect(modifierEffectText({ kind: 'add', value: 0.1 })).toBe('+0.10');
    expect(modifierEffectText({ kind: 'add', value: -0.05 })).toBe('-0.05');
    expect(modifierEffectText({ kind: 'multiply', value: 2 })).toBe('×2');
    expect(modifierEffectText({ kind: 'set', value: 0.5 })).toBe('set 0.5');
    const note = { probability: 0.3, base: 0.2, modifiers: 2, applied: [{ kind: 'multiply' as const, value: 1.5, reason: 'Drills serve the distraction strategy.' }] };
    expect(chanceText(note)).toBe('chance 30.0% that turn, base 20.0%: ×1.5 (Drills serve the distraction strategy.)');
    expect(chanceText({ ...note, probability: 0.2, applied: [] })).toBe('chance 20.0% that turn, base 20.0%, none of its 2 modifiers applied');
    expect(chanceText({ probability: 1, base: 0.8, modifiers: 1, applied: [{ kind: 'add', value: 0.5, reason: 'when x ≥ 1' }] })).toBe(
      'chance 100.0% that turn, base 80.0%: +0.50 (when x ≥ 1), probability 1.3 → clamped to 100.0%',
    );
    // A flagship run told in text, Markdown and JSON: some chosen move's line names an applied modifier's reason.
    const seed = deriveRunSeed('5', 0);
    let found: { text: string; md: string; json: string; reason: string } | undefined;
    for (let i = 0; i < 25 && found === undefined; i++) {
      const s = deriveRunSeed('5', i);
      const { record, chances } = replayWithMoveChances(model, new CompiledKernel(model), s);
      const report = deriveRunReport(model, record, deriveMeta(model, { hash: '', files: ['f.yaml'], seed: s, runs: 1, engine: 'compiled' }), chances);
      const act = report.acts.find((a) => (a.chance?.applied?.length ?? 0) > 0);
      const m = act?.chance?.applied?.[0];
      if (act !== undefined && m !== undefined)
        found = { text: renderRunText(report, { all: true }), md: renderRunMarkdown({ ...report, pathway: [act] }), json: JSON.stringify(report), reason: `${modifierEffectText(m)} (${m.reason})` };
    }
    expect(seed).toBeDefined();
    expect(found).toBeDefined();
    if (found === undefined) return;
    expect(found.text).toContain(found.reason);
    expect(found.md).toContain(found.reason.replaceAll('|', '\\|').slice(0, 20));
    expect(found.json).toContain('"applied":[{"kind"');
  });
});
