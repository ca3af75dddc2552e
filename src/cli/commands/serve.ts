import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import type { startServer } from '../../server/serve.ts';
import { type CliContext, CliFailure, EXIT, positiveInt } from '../shared.ts';

interface ServeFlags {
  port: number;
  host: string;
  data: string;
  debriefRuns: number;
}

function portArg(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError(`expected a port from 0 to 65535; found "${value}"`);
  return Number(value);
}

/** The computer's IPv4 addresses on its networks (not loopback), in the order the system lists them. */
function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(a.address);
  return out;
}

/** `brink serve`: the web classroom, until Ctrl-C. */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Run the web classroom: a facilitator page, a projector view and a page per team')
    .option('--port <port>', 'port to listen on (0: any free port)', portArg, 4800)
    .option('--host <host>', 'interface to listen on; 0.0.0.0 opens it to the classroom network', '127.0.0.1')
    .option('--data <dir>', 'folder that keeps every game (created if missing)', 'brink-classroom')
    .option('--debrief-runs <n>', "runs per comparison in a game's debrief", positiveInt(1_000_000), 1000)
    .action(async (flags: ServeFlags) => {
      const open = flags.host === '0.0.0.0' || flags.host === '::';
      const lan = open ? lanAddresses() : [];
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        // The server and its libraries (hono, ws) load only for this command: the others start faster.
        const { startServer } = await import('../../server/serve.ts');
        server = await startServer({
          host: flags.host,
          port: flags.port,
          dataDir: resolve(flags.data),
          debriefRuns: flags.debriefRuns,
          ...(lan[0] !== undefined ? { publicHost: lan[0] } : {}),
        });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new CliFailure(`port ${flags.port} is already in use; choose another with --port`, EXIT.failure);
        if (code === 'EADDRNOTAVAIL') throw new CliFailure(`this computer has no address ${flags.host}; use 127.0.0.1 or 0.0.0.0`, EXIT.failure);
        if (e instanceof Error && 'problems' in e) throw new CliFailure(e.message, EXIT.failure);
        throw e;
      }
      const io = ctx.io;
      io.stdout(`Brink classroom: ${server.url}/  (games kept in ${resolve(flags.data)})\n`);
      if (open) {
        const shared = lan.map((a) => `http://${a}:${server.port}/`);
        if (shared.length === 0) io.stdout('No network address found: students cannot reach this computer; check its Wi-Fi.\n');
        else {
          io.stdout(`Students open: ${shared.join('  or  ')}\n`);
          const { default: QRCode } = await import('qrcode');
          io.stdout(await QRCode.toString(shared[0] as string, { type: 'terminal', small: true }));
        }
        io.stderr(
          'Warning: anyone on this network can reach this server. Use it on a network you trust (the classroom’s),\n' +
            'share the facilitator link with no one, and stop the server (Ctrl-C) after class.\n',
        );
      } else io.stdout('Only this computer can reach it; for students’ phones, run with --host 0.0.0.0.\n');
      io.stdout('Open the address above to create a game. Ctrl-C stops the server; games are kept.\n');
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
