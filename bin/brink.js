#!/usr/bin/env node
// The `brink` command. Installed from the package it runs the built JavaScript in dist/. In a checkout
// (src/ beside bin/) it runs the TypeScript source through tsx, a development dependency, so a fresh
// clone needs no build step and an edit never runs against a stale dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(built.href);
}
