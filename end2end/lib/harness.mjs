// Browser-test harness: starts the real `helios` binary on a fresh database of the
// private test cluster and drives Debian's Chromium through playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';

export const DEMO_PASSWORD = 'helios-demo-2026';
const BIN = process.env.HELIOS_BIN;
const BASE_URL = process.env.DATABASE_URL;

export function freshDatabase() {
  if (!BASE_URL) throw new Error('DATABASE_URL must point at the test cluster (run scripts/test.sh)');
  const name = `helios_e2e_${randomUUID().replace(/-/g, '')}`;
  execFileSync('psql', [BASE_URL, '-qc', `create database ${name}`]);
  return BASE_URL.replace(/\/postgres\?/, `/${name}?`);
}

/** Starts `helios serve --demo`; resolves once it listens. */
export function startHelios({ databaseUrl = freshDatabase(), addr = '127.0.0.1:0', demo = true, sample = false } = {}) {
  if (!BIN) throw new Error('HELIOS_BIN is not set');
  const args = ['serve', ...(demo ? ['--demo'] : []), ...(sample ? ['--sample-data'] : [])];
  const child = spawn(BIN, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, HELIOS_ADDR: addr, RUST_LOG: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`helios did not start:\n${logs.join('')}`)), 90_000);
    child.stderr.on('data', (chunk) => {
      const text = chunk.toString();
      logs.push(text);
      const m = text.match(/listening on http:\/\/(\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: `http://${m[1]}`,
          addr: m[1],
          databaseUrl,
          logs,
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
        });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`helios exited with ${code}:\n${logs.join('')}`)); });
  });
}

export async function launchBrowser() {
  const args = ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args });
}

/** A page at 1280×800 that records console errors and page errors. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(String(e)));
  return page;
}

export async function hydrated(page) {
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 30_000 });
}

/** Signs in through the demo account list, as a user would. */
export async function signIn(page, base, role) {
  await page.goto(`${base}/login`);
  await hydrated(page);
  await page.click(`[data-testid="demo-accounts"] button[data-role="${role}"]`);
  await page.click('button[type="submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15_000 });
  await hydrated(page);
}

/**
 * Registers before/after hooks that start one Helios and one browser for a test file.
 * Returns a live view: `ctx.helios` may be replaced by a test (e.g. after a restart).
 */
export function useHelios(hooks) {
  const ctx = { helios: null, browser: null };
  hooks.before(async () => {
    ctx.helios = await startHelios();
    ctx.browser = await launchBrowser();
  });
  hooks.after(async () => {
    await ctx.browser?.close();
    await ctx.helios?.stop();
  });
  return ctx;
}

/** Calls a server function from the page, as the signed-in user. */
export async function api(page, endpoint, args) {
  return page.evaluate(async ([endpoint, args]) => {
    const res = await fetch(`/api/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${endpoint}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }, [endpoint, args]);
}
