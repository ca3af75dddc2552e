import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCircles, layerViolations, readSources, type SourceFile } from './layers.ts';

const sources = readSources(fileURLToPath(new URL('../../src', import.meta.url)));

describe('the house (issue 10)', () => {
  it('reads the source tree', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.find((f) => f.path === 'batch/play-batch.ts')?.imports).toContain('batch/chunk.ts');
  });

  it('has no import that runs up the layers or sideways between folders of one layer', () => {
    expect(layerViolations(sources)).toEqual([]);
  });

  it('has no import circle', () => {
    expect(importCircles(sources)).toEqual([]);
  });

  it('names the files of a planted upward import and of a planted circle', () => {
    const planted: SourceFile[] = [
      ...sources,
      { path: 'engine/planted.ts', imports: ['batch/play-batch.ts', 'engine/planted-2.ts'] },
      { path: 'engine/planted-2.ts', imports: ['engine/planted.ts'] },
      { path: 'cli/planted.ts', imports: ['testing/index.ts'] },
    ];
    expect(layerViolations(planted)).toEqual([
      'engine/planted.ts imports batch/play-batch.ts: engine may not import from batch, a higher layer',
      'cli/planted.ts imports testing/index.ts: cli and testing are one layer and may not import each other',
    ]);
    expect(importCircles(planted)).toEqual([['engine/planted-2.ts', 'engine/planted.ts']]);
  });
});
