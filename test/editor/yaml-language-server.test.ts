/**
 * The scenario schema in an editor (issue 11, item 7): yaml-language-server ^1.25, driven over stdio
 * as VS Code and other editors drive it, with scenarios/scenario.schema.json bound to the files.
 * Hover on a field shows its description; the flagship and every variant (`extends:`) give no
 * diagnostics; a misspelt key gives one.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers.ts';

interface Diagnostic {
  readonly message: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number } };
}

/** A minimal LSP client: Content-Length framed JSON-RPC over the server's stdin and stdout. */
class Client {
  private readonly server: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiting = new Map<string, (d: Diagnostic[]) => void>();

  constructor(private readonly settings: unknown) {
    this.server = spawn(process.execPath, [join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server'), '--stdio'], { cwd: ROOT });
    this.server.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as { id?: number; method?: string; params?: { uri: string; diagnostics: Diagnostic[]; items?: unknown[] }; result?: unknown };
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (msg.method === 'textDocument/publishDiagnostics' && msg.params !== undefined) {
        this.diagnostics.set(msg.params.uri, msg.params.diagnostics);
        this.waiting.get(msg.params.uri)?.(msg.params.diagnostics);
      } else if (msg.method === 'workspace/configuration' && msg.id !== undefined) {
        this.send({ id: msg.id, result: (msg.params?.items ?? []).map(() => (this.settings as { yaml: unknown }).yaml) });
      } else if (msg.method !== undefined && msg.id !== undefined) {
        this.send({ id: msg.id, result: null });
      } else if (msg.id !== undefined) {
        this.pending.get(msg.id)?.(msg.result);
      }
    }
  }

  private send(msg: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
    this.server.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.server.stdin.write(body);
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** Opens a document and waits for its diagnostics. */
  open(file: string, text = readFileSync(join(ROOT, file), 'utf8')): Promise<Diagnostic[]> {
    const uri = pathToFileURL(join(ROOT, file)).href;
    return new Promise((resolve) => {
      this.waiting.set(uri, resolve);
      this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    });
  }

  close(): void {
    this.server.kill();
  }
}

const SCHEMA = pathToFileURL(join(ROOT, 'scenarios/scenario.schema.json')).href;
const settings = { yaml: { validate: true, hover: true, completion: true, schemas: { [SCHEMA]: ['scenarios/**/*.yaml', 'test/fixtures/valid/*.yaml'] }, schemaStore: { enable: false } } };
let client: Client;

beforeAll(async () => {
  client = new Client(settings);
  await client.request('initialize', { processId: process.pid, rootUri: pathToFileURL(ROOT).href, capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } }, workspace: { configuration: true } } });
  client.notify('initialized', {});
  client.notify('workspace/didChangeConfiguration', { settings });
});

afterAll(() => client?.close());

const FLAGSHIP = 'scenarios/russia-dprk-2024.yaml';

describe('yaml-language-server with scenarios/scenario.schema.json', () => {
  test('the flagship and every variant give no diagnostics', async () => {
    const files = [FLAGSHIP, ...readdirSync(join(ROOT, 'scenarios/variants')).map((f) => `scenarios/variants/${f}`)];
    for (const file of files) expect([file, (await client.open(file)).map((d) => `${d.range.start.line + 1}: ${d.message}`)]).toEqual([file, []]);
  });

  test('a misspelt key gives one diagnostic, on its line, in a scenario and in a variant', async () => {
    const text = readFileSync(join(ROOT, FLAGSHIP), 'utf8').replace(/^time: \{ turns: 24, unit:/m, 'time: { turns: 24, unti:');
    const line = text.split('\n').findIndex((l) => l.includes('unti:'));
    expect(line).toBeGreaterThan(0);
    const wrong = await client.open('scenarios/misspelt.yaml', text);
    expect(wrong.map((d) => [d.range.start.line, d.message])).toEqual([[line, 'Property unti is not allowed.']]);
    const variant = await client.open('scenarios/variants/misspelt.yaml', 'version: 1\nextends: ../russia-dprk-2024.yaml\nmetadata:\n  titel: A typo\n');
    expect(variant.map((d) => [d.range.start.line, d.message])).toEqual([[3, 'Property titel is not allowed.']]);
  });

  test('hover on a field shows its description', async () => {
    const lines = readFileSync(join(ROOT, FLAGSHIP), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('time: { turns:'));
    const hover = (await client.request('textDocument/hover', { textDocument: { uri: pathToFileURL(join(ROOT, FLAGSHIP)).href }, position: { line, character: 10 } })) as { contents: { value: string } } | null;
    expect(hover?.contents.value).toContain('How many turns a run plays');
    const top = lines.findIndex((l) => l.startsWith('ladder:'));
    const ladder = (await client.request('textDocument/hover', { textDocument: { uri: pathToFileURL(join(ROOT, FLAGSHIP)).href }, position: { line: top, character: 2 } })) as { contents: { value: string } } | null;
    expect(ladder?.contents.value).toContain('The escalation ladder');
  });
});
