/**
 * bench/scenarios/hand.yaml written by hand as a plain reducer over typed arrays: the practical limit
 * for the compiled kernel. It follows the engine's turn exactly (the same draws in the same order), so
 * its peaks must equal the engine's on the same seeds — the bench checks that before timing it.
 */
import { createRandom } from '../src/engine/rng.ts';

const CALM = 0;
const ALERT = 1;
const MOBILISED = 2;
const PROTEST = 0;
const DRILL = 1;
const CLASH = 2;
const TALKS = 3;
const RUNG = [2, 3, 4, 0];
const IN_THEATRE = [false, true, true, false];
const ACTORS = 4;
const TURNS = 36;

export interface HandPeaks {
  overall: number;
  theatre: number;
  /** `from * 4 + to` */
  dyads: Int8Array;
}

const state = new Int8Array(ACTORS);
const queueType = new Int8Array(64);
const queueFrom = new Int8Array(64);

/** One run of the hand scenario from a seed. */
export function handRun(seed: string, out: HandPeaks): HandPeaks {
  const random = createRandom(seed);
  state.fill(CALM);
  out.dyads.fill(-1);
  let overall = -1;
  let theatre = -1;
  let tension = 0;
  for (let turn = 1; turn <= TURNS; turn++) {
    let n = 0;
    // Shock: a clash from A to B, likelier once drills have happened anywhere.
    const u = random();
    if (u < 0.01 + (overall >= 3 ? 0.02 : 0)) {
      queueType[n] = CLASH;
      queueFrom[n++] = 0;
    }
    // Moves, decided on the start-of-turn world.
    for (let a = 0; a < ACTORS; a++) {
      const v = random();
      const s = state[a];
      if (s === CALM) {
        if (v < 0.2) {
          queueType[n] = PROTEST;
          queueFrom[n++] = a;
        }
      } else if (s === ALERT) {
        const drill = 0.15 + (tension >= 3 ? 0.1 : 0);
        if (v < drill) {
          queueType[n] = DRILL;
          queueFrom[n++] = a;
        } else if (v < drill + 0.1) {
          queueType[n] = TALKS;
          queueFrom[n++] = a;
        }
      } else if (v < 0.05) {
        queueType[n] = CLASH;
        queueFrom[n++] = a;
      } else if (v < 0.25) {
        queueType[n] = TALKS;
        queueFrom[n++] = a;
      }
    }
    // Delivery, FIFO: account, then the sender's machine, then the recipient's.
    for (let i = 0; i < n; i++) {
      const type = queueType[i] as number;
      const from = queueFrom[i] as number;
      const to = (from + 1) % ACTORS;
      const rung = RUNG[type] as number;
      const d = from * ACTORS + to;
      if ((out.dyads[d] as number) < rung) out.dyads[d] = rung;
      if (rung > overall) overall = rung;
      if (IN_THEATRE[type] === true && rung > theatre) theatre = rung;
      for (let k = 0; k < 2; k++) {
        const a = k === 0 ? from : to;
        const s = state[a];
        if (s === CALM) {
          if ((type === PROTEST || type === DRILL) && a !== from) state[a] = ALERT;
        } else if (s === ALERT) {
          if (type === DRILL && a !== from) {
            state[a] = MOBILISED;
            tension = Math.min(10, tension + 1);
          } else if (type === TALKS) state[a] = CALM;
        } else if (type === TALKS) state[a] = CALM;
      }
    }
  }
  out.overall = overall;
  out.theatre = theatre;
  return out;
}
