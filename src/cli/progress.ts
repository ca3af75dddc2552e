/**
 * What the console does while a batch runs: progress on stderr, and Ctrl-C. Progress never touches
 * stdout, so reports and NDJSON stay clean.
 */
import cliProgress from 'cli-progress';

/** `auto`: a bar when stderr is a terminal, plain lines otherwise; `plain`: lines; `none`: silence. */
export type ProgressMode = 'auto' | 'plain' | 'none';

/** The values of `--progress`. */
export const PROGRESS_MODES: readonly ProgressMode[] = ['auto', 'plain', 'none'];

/** Where progress goes and when it shows. */
export interface ProgressOptions {
  readonly mode: ProgressMode;
  /** What is counted, plural: `runs`. */
  readonly unit: string;
  /** Where plain lines go (standard error). */
  readonly writeLine: (text: string) => void;
  /** The terminal to draw a bar on, or undefined when standard error is not a terminal. */
  readonly tty: NodeJS.WritableStream | undefined;
  /** Milliseconds since some fixed point. Default `performance.now`. */
  readonly now?: () => number;
  /** Nothing is shown before the batch has run this long. Default 2000 in `auto` mode, 0 in `plain`. */
  readonly delayMs?: number;
  /** Plain lines: at most one per this many milliseconds. Default 5000. */
  readonly intervalMs?: number;
}

/** A progress display: fed with counts, ended once. */
export interface Progress {
  update(done: number, total: number): void;
  /** Removes the bar's timer and ends its line; safe to call twice. */
  stop(): void;
}

/**
 * Creates the progress display for a batch. A batch shorter than the delay shows nothing at all (so
 * quick runs and tests keep stderr empty); after it, a bar on a terminal (`auto`) or a plain line at
 * most every `intervalMs` (`plain`, or `auto` off a terminal).
 */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const start = now();
  if (options.mode === 'none') return { update() {}, stop() {} };
  const useBar = options.mode === 'auto' && options.tty !== undefined;
  const delay = options.delayMs ?? (options.mode === 'auto' ? 2000 : 0);
  const interval = options.intervalMs ?? 5000;
  let bar: cliProgress.SingleBar | undefined;
  let lastLine = Number.NEGATIVE_INFINITY;
  let stopped = false;
  return {
    update(done, total) {
      if (stopped) return;
      const t = now();
      if (t - start < delay) return;
      if (useBar) {
        if (bar === undefined) {
          bar = new cliProgress.SingleBar(
            {
              stream: options.tty,
              format: `{bar} {percentage}% | {value}/{total} ${options.unit} | about {eta_formatted} left`,
              hideCursor: true,
              etaBuffer: 20,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, done);
        } else bar.update(done);
        return;
      }
      if (t - lastLine < interval) return;
      lastLine = t;
      const share = total === 0 ? 100 : Math.floor((100 * done) / total);
      options.writeLine(`brink: ${done}/${total} ${options.unit} (${share}%), ${((t - start) / 1000).toFixed(1)} s\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}

/** A SIGINT trap for the length of a batch. */
export interface InterruptTrap {
  /** True once Ctrl-C was pressed: the batch should stop after the current run. */
  readonly interrupted: () => boolean;
  /** Restores the default Ctrl-C behaviour. */
  release(): void;
}

/**
 * Traps Ctrl-C while a batch runs: the first asks the batch to stop (it then reports the runs done so
 * far), the second exits at once with code 130. `onFirst` runs on the first (to clear a bar and say so).
 */
export function trapInterrupts(onFirst: () => void): InterruptTrap {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) onFirst();
    else process.exit(130);
  };
  process.on('SIGINT', handler);
  return {
    interrupted: () => count > 0,
    release: () => {
      process.off('SIGINT', handler);
    },
  };
}

/** The hooks of a watched batch. */
export interface BatchWatch {
  readonly onProgress: (done: number, total: number) => void;
  readonly shouldStop: () => boolean;
  /** Ends the progress display (stops the bar's timer). Call when the batch ends. */
  readonly done: () => void;
  /** Ends the display and restores Ctrl-C. Call once the report is out, whatever happened. */
  readonly release: () => void;
}

/**
 * The hooks a batch entry point takes (`onProgress`, `shouldStop`), wired to a progress display and a
 * Ctrl-C trap. The trap stays until `release`, so a second Ctrl-C while the report is being written
 * still exits at once with code 130.
 */
export function watchBatch(options: ProgressOptions): BatchWatch {
  const progress = createProgress(options);
  const trap = trapInterrupts(() => {
    progress.stop();
    options.writeLine('brink: stopping after the current run (Ctrl-C again to quit at once)\n');
  });
  return {
    onProgress: (done, total) => progress.update(done, total),
    shouldStop: trap.interrupted,
    done: () => progress.stop(),
    release: () => {
      progress.stop();
      trap.release();
    },
  };
}
