/** Exit codes: 0 success, 1 a bad scenario or a failing run, 2 a usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** A failure the CLI reports as its message and maps to an exit code; never a stack trace. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
