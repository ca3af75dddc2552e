/** The `brink` command: the only module that touches the process. */
import { runCli } from './program.ts';

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const write = (stream: NodeJS.WriteStream) => (text: string) => {
  stream.write(text);
};

try {
  process.exitCode = await runCli(process.argv.slice(2), { stdout: write(process.stdout), stderr: write(process.stderr) });
} catch (e) {
  process.stderr.write(`brink: internal error (a bug; please report it with the command that caused it)\n${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 70;
}
