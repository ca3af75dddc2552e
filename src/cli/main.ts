/** The `brink` command: the only module that touches the process. */
import { VERSION } from '../version.ts';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const write = (stream: NodeJS.WriteStream) => (text: string) => {
  stream.write(text);
};

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  // Answered before the commands (and zod, yaml, xstate) load: `brink --version` stays instant.
  process.stdout.write(`${VERSION}\n`);
} else {
  try {
    const { runCli } = await import('./program.ts');
    process.exitCode = await runCli(argv, { stdout: write(process.stdout), stderr: write(process.stderr) });
  } catch (e) {
    process.stderr.write(`brink: internal error (a bug; please report it with the command that caused it)\n${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
