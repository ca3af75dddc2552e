import { test } from '@fast-check/vitest';
import { checkScenario, happens, not } from 'brink/testing';
import { expect } from 'vitest';
import { loadValid } from '../helpers.ts';
const FILE = 'scenarios/russia-dprk-2024.yaml';
const flagship = loadValid(FILE).scenario;
test('demo failing', () => {
  const found = checkScenario(flagship, not(happens('MUTUAL_DEFENCE_INVOKED')), { runs: 200, file: FILE });
  expect(found, found?.message).toBeUndefined();
});
