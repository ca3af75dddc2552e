/** `--shard i/n`: which slice of a batch's run indices this process plays, and the part it writes. */
import { InvalidArgumentError } from 'commander';
import { type Part, renderPart } from '../batch/part.ts';
import { CliFailure, EXIT, type Io, emit } from './shared.ts';

/** Shard `index` (1 … count) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/n` (1 ≤ i ≤ n ≤ 100,000); a bad value is a usage error. */
export function shardArg(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !(count >= 1 && count <= 100_000) || !(index >= 1 && index <= count)) {
    throw new InvalidArgumentError(`expected i/n with 1 ≤ i ≤ n ≤ 100000 (shard i of n, e.g. 3/10); found "${value}"`);
  }
  return { index, count };
}

/**
 * The run indices shard i of n plays: `[floor((i-1)·runs/n), floor(i·runs/n))`. The n shards hold every
 * run once, and their sizes differ by at most one.
 */
export function shardRange(shard: Shard, runs: number): { readonly from: number; readonly count: number } {
  const from = Math.floor(((shard.index - 1) * runs) / shard.count);
  const to = Math.floor((shard.index * runs) / shard.count);
  return { from, count: to - from };
}

/** Checks a shard against the batch size, before anything is played. */
export function checkShard(shard: Shard, runs: number): void {
  if (runs < 2) throw new CliFailure(`error: option '--shard' needs a batch: --runs of at least 2 (a single run is not sharded)`, EXIT.usage);
  if (shard.count > runs) throw new CliFailure(`error: option '--shard ${shard.index}/${shard.count}' splits ${runs} runs into more shards than runs; use at most ${runs} shards`, EXIT.usage);
}

/** The usage error for `--format` with `--shard`: a shard writes a part; the report comes from `brink merge`. */
export function shardFormatFailure(format: string): CliFailure {
  return new CliFailure(
    `error: option '--format ${format}' does not apply with '--shard': a shard writes a part (JSON) for brink merge; give --format to brink merge instead`,
    EXIT.usage,
  );
}

/** Writes a part to --out or standard output, whole or not at all. */
export function emitPart(part: Part, out: string | undefined, io: Io): void {
  emit(renderPart(part), out, io);
}
