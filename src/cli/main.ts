/** The `brink` command: the only module that touches the process. */
import { VERSION } from '../version.ts';
import { describeWriteError, checkedStream } from './output.ts';

// A closed pipe (`brink run … --format ndjson | head`) ends the process quietly: the reader had enough.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});
const stdout = checkedStream(process.stdout, 'standard output');
const stderr = checkedStream(process.stderr, 'standard error');

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before the commands (and zod, yaml, xstate) load: `brink --version` stays instant.
  stdout.write(`${VERSION}\n`);
} else {
  try {
    const [{ runCli }, { colourEnabled, colours }] = await Promise.all([import('./program.ts'), import('./colour.ts')]);
    const paint = (stream: NodeJS.WriteStream) => (colourEnabled(stream.isTTY === true, process.env) ? colours(true) : undefined);
    process.exitCode = await runCli(argv, { stdout: stdout.write, stderr: stderr.write, colours: { stdout: paint(process.stdout), stderr: paint(process.stderr) } });
  } catch (e) {
    process.stderr.write(`brink: internal error (a bug; please report it with the command that caused it)\n${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
// Success is reported only once what was written has reached the system: `> /dev/full` fails here.
const failed = await stdout.finish();
if (failed !== undefined) {
  // A closed pipe (`| head -1`) is the reader's choice, not a failure.
  if (failed.code === 'EPIPE') process.exitCode = 0;
  else {
    process.stderr.write(`brink: cannot write to standard output: ${describeWriteError(failed)}; the output is incomplete\n`);
    if (process.exitCode === 0 || process.exitCode === undefined) process.exitCode = 1;
  }
}
