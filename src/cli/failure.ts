/**
 * Exit codes: 0 success, 1 a bad scenario or a failing run, 2 a usage error, 4 a batch stopped by
 * Ctrl-C whose report covers only the runs done (a second Ctrl-C exits 130 at once, with no report).
 * `brink check` adds 3, undecided.
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 4 } as const;

/** A failure the CLI reports as its message and maps to an exit code; never a stack trace. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
