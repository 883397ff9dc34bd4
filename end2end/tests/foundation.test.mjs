// Journeys over the foundation: sign-in, modules, labels, access, live updates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHelios, newPage, hydrated, signIn, useHelios } from '../lib/harness.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ctx = useHelios({ before, after });

test('the login page lists the demo accounts and an admin lands on the desk', async () => {
  const page = await newPage(ctx.browser);
  await page.goto(`${ctx.helios.url}/login`);
  await hydrated(page);
  assert.equal(await page.locator('[data-testid="demo-accounts"] button').count(), 5);
  await page.screenshot({ path: `${shots}login.png` });
  await signIn(page, ctx.helios.url, 'admin');
  assert.equal(new URL(page.url()).pathname, '/desk');
  await page.waitForSelector('[data-testid="desk-empty"]');
  await page.screenshot({ path: `${shots}desk-empty.png` });
  assert.deepEqual(page.errors, [], 'no console errors (CSP violations included)');
  await page.context().close();
});

test('switching a module off removes it from navigation and its page says it is disabled', async () => {
  const page = await newPage(ctx.browser);
  await signIn(page, ctx.helios.url, 'admin');
  await page.goto(`${ctx.helios.url}/admin/settings`);
  await hydrated(page);
  await page.screenshot({ path: `${shots}admin-settings.png`, fullPage: false });
  assert.equal(await page.locator('a[data-nav="vault"]').count(), 1);
  const toggle = page.locator('button[data-module="vault"]');
  assert.equal(await toggle.getAttribute('aria-checked'), 'true');
  await toggle.click();
  await page.waitForSelector('button[data-module="vault"][aria-checked="false"]');
  await page.waitForSelector('a[data-nav="vault"]', { state: 'detached' });
  const res = await page.goto(`${ctx.helios.url}/vault`);
  assert.equal(res.status(), 404);
  await page.waitForSelector('[data-testid="module-disabled"]');
  // The browser logs the 404 document itself; anything else would be a real error.
  page.errors = page.errors.filter((e) => !e.includes('status of 404'));
  assert.match(await page.textContent('[data-testid="module-disabled"]'), /Vault is switched off/);
  // Switch it back on for the other journeys.
  await page.goto(`${ctx.helios.url}/admin/settings`);
  await hydrated(page);
  await page.click('button[data-module="vault"]');
  await page.waitForSelector('a[data-nav="vault"]');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('renaming the ticket label shows the new label', async () => {
  const page = await newPage(ctx.browser);
  await signIn(page, ctx.helios.url, 'admin');
  await page.goto(`${ctx.helios.url}/admin/settings`);
  await hydrated(page);
  await page.fill('input[name="ticket_singular"]', 'Request');
  await page.fill('input[name="ticket_plural"]', 'Requests');
  await page.click('[data-testid="save-labels"]');
  await page.waitForSelector('a[data-nav="service_desk"] >> text=Requests');
  await page.goto(`${ctx.helios.url}/desk`);
  await hydrated(page);
  assert.equal((await page.textContent('h1')).trim(), 'Requests');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a requester is refused the admin pages', async () => {
  const page = await newPage(ctx.browser);
  await signIn(page, ctx.helios.url, 'requester');
  assert.equal(new URL(page.url()).pathname, '/portal');
  const res = await page.goto(`${ctx.helios.url}/admin`);
  await page.waitForSelector('[data-testid="refused"]');
  assert.equal(res.status(), 403);
  assert.equal(await page.locator('a[data-nav="admin"]').count(), 0, 'no admin link for requesters');
  await page.context().close();
});

test('a change made by one user reaches another open tab live, also after a server restart', async () => {
  const admin = await newPage(ctx.browser);
  await signIn(admin, ctx.helios.url, 'admin');
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  await agent.waitForSelector('a[data-nav="domains"]');

  await admin.goto(`${ctx.helios.url}/admin/settings`);
  await hydrated(admin);
  await admin.click('button[data-module="domains"]');
  // The agent did nothing: the nav item disappears through the live channel.
  await agent.waitForSelector('a[data-nav="domains"]', { state: 'detached', timeout: 5_000 });

  // Restart the server on the same address; the agent's tab reconnects by itself.
  const { addr, databaseUrl } = ctx.helios;
  await ctx.helios.stop();
  ctx.helios = await startHelios({ databaseUrl, addr });
  await admin.goto(`${ctx.helios.url}/admin/settings`);
  await hydrated(admin);
  await admin.click('button[data-module="domains"]');
  await agent.waitForSelector('a[data-nav="domains"]', { timeout: 20_000 });
  await agent.context().close();
  await admin.context().close();
});
