// What the browser tests share: Debian's Chromium driven by playwright-core (no browser download),
// the app served on a random loopback port, and the folder screenshots are saved to.
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { chromium } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts/e2e');

/**
 * CI installs Chromium (.ci/run) and must run these; a developer's machine without it skips them
 * rather than failing `npm test` for want of a browser that npm cannot install.
 */
export const browserDescribe = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

// Without the background-networking flags Chromium keeps dialling Google's hosts, which this
// machine's closed network refuses.
export function launchChromium() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function serveOnLoopback(app: Hono): Promise<{ server: ServerType; base: string }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
