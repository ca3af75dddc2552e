import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { upgradeWebSocket } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { WSContext } from 'hono/ws';
import type * as z from 'zod';
import type { GameHub } from './game-hub.ts';
import { CheckScenario, CreateGame, describeIssues, Join, MAX_BODY_BYTES } from './protocol.ts';
import type { FailureLimiter } from './rate-limit.ts';

/** What the HTTP layer needs besides the hub. */
export interface AppOptions {
  readonly hub: GameHub;
  /** The built pages (web/dist). */
  readonly webDir: string;
  readonly joinLimiter: FailureLimiter;
  readonly now: () => number;
}

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * True when a browser request comes from a page of this server: its Origin names the Host it was
 * sent to. A missing Origin is refused where `required` (the live channel: every browser sends one on
 * a WebSocket handshake, and a cross-site page could otherwise open one with the student's cookies).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, required: boolean): boolean {
  if (origin === undefined) return !required;
  if (host === undefined) return false;
  try {
    const u = new URL(origin);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host === host;
  } catch {
    return false;
  }
}

/** Builds the HTTP application: the JSON API, the live channel and the built pages. */
export function buildApp(options: AppOptions): Hono {
  const { hub, webDir, joinLimiter, now } = options;
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
  });

  app.use('/api/*', async (c, next) => {
    if (c.req.method !== 'GET' && !originAllowed(c.req.header('origin'), c.req.header('host'), false))
      return c.json({ code: 'http/bad_origin', message: 'this request comes from another site; open the classroom page itself' }, 403);
    await next();
  });
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => c.json({ code: 'http/too_large', message: `the request is larger than ${MAX_BODY_BYTES / 1024} KB` }, 413),
    }),
  );

  const parseBody = async <T extends z.ZodType>(c: Context, schema: T): Promise<{ ok: true; value: z.infer<T> } | { ok: false; res: Response }> => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return { ok: false, res: c.json({ code: 'http/bad_json', message: 'the request body is not JSON' }, 400) };
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, res: c.json({ code: 'http/invalid', message: describeIssues(parsed.error) }, 400) };
    return { ok: true, value: parsed.data };
  };

  app.get('/api/scenarios', (c) => c.json(hub.scenarios()));

  app.post('/api/scenarios/check', async (c) => {
    const body = await parseBody(c, CheckScenario);
    if (!body.ok) return body.res;
    return c.json(hub.checkScenario(body.value.name, body.value.text));
  });

  app.post('/api/games', async (c) => {
    const body = await parseBody(c, CreateGame);
    if (!body.ok) return body.res;
    const r = await hub.createGame(body.value);
    return r.ok ? c.json(r) : c.json(r, 400);
  });

  app.post('/api/join', async (c) => {
    const address = clientAddress(c);
    const t = now();
    if (joinLimiter.isBlocked(address, t)) {
      const s = joinLimiter.retryAfterSeconds(t);
      c.header('Retry-After', String(s));
      return c.json({ code: 'join/rate_limited', message: `too many wrong codes; try again in ${s} s` }, 429);
    }
    const body = await parseBody(c, Join);
    if (!body.ok) return body.res;
    const r = hub.join(body.value.code, body.value.name);
    if (r === null) {
      joinLimiter.recordFailure(address, t);
      return c.json({ code: 'join/unknown_code', message: 'no team has this code; check it with your teacher' }, 404);
    }
    return c.json(r);
  });

  app.get('/api/games/:game/debrief/status', (c) => {
    const r = hub.debriefStatus(c.req.param('game'), c.req.query('key') ?? '');
    if (!r.ok) return c.json(r.refusal, r.status);
    return c.json(r.game.debrief);
  });
  app.get('/api/games/:game/debrief', (c) => {
    const r = hub.debriefStatus(c.req.param('game'), c.req.query('key') ?? '');
    if (!r.ok) return c.json(r.refusal, r.status);
    const html = r.game.debriefHtml;
    if (html === null) return c.json({ code: 'debrief/not_ready', message: 'the debrief is not ready yet' }, 409);
    const res = c.html(html);
    // The debrief is one self-contained page with its own inline styles and scripts, shown in a frame of ours.
    res.headers.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'");
    res.headers.set('X-Frame-Options', 'SAMEORIGIN');
    return res;
  });

  app.get(
    '/live',
    async (c, next) => {
      if (!originAllowed(c.req.header('origin'), c.req.header('host'), true))
        return c.json({ code: 'live/bad_origin', message: 'the live channel only serves this server’s own pages' }, 403);
      await next();
    },
    upgradeWebSocket(() => {
      let conn: ReturnType<GameHub['open']> | null = null;
      return {
        onOpen: (_e, ws) => {
          conn = hub.open(ws as WSContext);
        },
        onMessage: (e, _ws) => {
          conn?.receive(typeof e.data === 'string' ? e.data : null);
        },
        onClose: () => {
          conn?.close();
          conn = null;
        },
      };
    }),
  );

  app.all('/api/*', (c) => c.json({ code: 'http/not_found', message: `no such API: ${c.req.method} ${c.req.path}` }, 404));

  app.use('/assets/*', serveStatic({ root: webDir }));
  const indexFile = join(webDir, 'index.html');
  app.get('*', (c) => {
    if (!existsSync(indexFile))
      return c.text('The classroom pages are not built: run `npm run build:web` (npm ci does it for you).', 500);
    return c.html(readFileSync(indexFile, 'utf8'));
  });
  return app;
}

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
