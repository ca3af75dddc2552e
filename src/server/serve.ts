import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type WebSocketServerLike } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { buildApp } from './app.ts';
import { GameHub } from './game-hub.ts';
import { MAX_MESSAGE_BYTES } from './protocol.ts';
import { FailureLimiter } from './rate-limit.ts';

/** Options of {@link startServer}. */
export interface ServerOptions {
  /** Interface to listen on (default 127.0.0.1: only this computer). */
  readonly host: string;
  /** Port (0: any free port). */
  readonly port: number;
  /** Folder of the game store. */
  readonly dataDir: string;
  /** The host name or address pages give to students (join links, QR codes); default: the listening address. */
  readonly publicHost?: string;
  /** The built pages; default: the package's web/dist. */
  readonly webDir?: string;
  /** The scenarios offered on the facilitator's page; default: the package's scenarios/. */
  readonly scenariosDir?: string;
  /** Replications per comparison of a debrief (default 1,000). */
  readonly debriefRuns?: number;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting, closes every live connection and the store. */
  close(): Promise<void>;
}

/** The package's own folders, found from this file (src/server/serve.ts). */
const PACKAGE_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const PACKAGE_WEB_DIR = join(PACKAGE_ROOT, 'web', 'dist');
export const PACKAGE_SCENARIOS_DIR = join(PACKAGE_ROOT, 'scenarios');

/** Starts `brink serve`: opens the store (replaying every game in it), then listens. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const now = () => Date.now();
  let publicUrl = '';
  const hub = await GameHub.open({
    dataDir: options.dataDir,
    scenariosDir: options.scenariosDir ?? PACKAGE_SCENARIOS_DIR,
    now,
    publicUrl: () => publicUrl,
    ...(options.debriefRuns === undefined ? {} : { debriefRuns: options.debriefRuns }),
  });
  const app = buildApp({
    hub,
    webDir: options.webDir ?? PACKAGE_WEB_DIR,
    joinLimiter: new FailureLimiter({ perKey: 10, total: 600, windowMs: 60_000 }),
    now,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port, websocket: { server: wss as unknown as WebSocketServerLike } }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  publicUrl = options.publicHost === undefined ? url : `http://${options.publicHost}:${port}`;
  return {
    url,
    port,
    close: async () => {
      hub.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
