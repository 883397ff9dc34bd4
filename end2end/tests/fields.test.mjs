// Ticket classification in the browser: a manager defines a custom field in
// Administration → Service desk, an agent fills it in the new-ticket form with a
// category, edits it from the ticket's side panel, then finds the ticket with the
// category filter and sorts the queue by a column header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, hydrated, signIn, useHelios, api } from '../lib/harness.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ctx = useHelios({ before, after });

test('a custom field defined by a manager is filled, edited and filtered on by an agent', async () => {
  const manager = await newPage(ctx.browser);
  await signIn(manager, ctx.helios.url, 'manager');
  await manager.goto(`${ctx.helios.url}/admin/desk`);
  await hydrated(manager);
  await manager.waitForSelector('[data-testid="statuses"] [data-status="awaiting_info"]');
  await manager.fill('#cf_label', 'Site');
  await manager.fill('#cf_key', 'site');
  await manager.selectOption('#cf_kind', 'select');
  await manager.fill('#cf_options', 'Berlin\nParis');
  await manager.check('[data-testid="custom-field-admin"] label:has-text("Required") input');
  await manager.click('[data-testid="custom-field-admin"] button[type="submit"]');
  await manager.waitForSelector('[data-field-def="site"]');
  await manager.screenshot({ path: `${shots}admin-desk.png`, fullPage: true });

  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  // Older tickets to sort against.
  const first = await api(agent, 'tickets/create', { title: 'Older ticket', description: '', priority: 'p4', requester: null, extras: { custom_fields: { site: 'Paris' } } });
  await agent.goto(`${ctx.helios.url}/desk`);
  await hydrated(agent);
  await agent.click('[data-testid="new-ticket"]');
  await agent.fill('#nt_title', 'Docking station dead');
  await agent.fill('#nt_desc', 'The **left** port is dead.');
  await agent.waitForSelector('#nt_category option:has-text("Hardware › Laptop")', { state: 'attached' });
  await agent.selectOption('#nt_category', { label: 'Hardware › Laptop' });
  await agent.selectOption('#nt_urgency', 'High');
  await agent.selectOption('#nt_impact', 'High');
  // Urgency and impact suggest P1.
  assert.equal(await agent.$eval('#nt_priority', (s) => s.value), 'P1');
  // The required field is checked by the server first.
  await agent.click('form button[type="submit"]:has-text("Create")');
  await agent.waitForSelector('text=Site is required');
  await agent.selectOption('#cf_site', 'Berlin');
  await agent.click('form button[type="submit"]:has-text("Create")');
  await agent.waitForSelector('[data-testid="ticket-title"] >> text=Docking station dead');
  await agent.waitForSelector('[data-testid="description"] strong >> text=left');
  await agent.waitForSelector('[data-testid="custom-fields"] dd >> text=Berlin');
  assert.equal(await agent.$eval('#f_category option:checked', (o) => o.textContent), 'Hardware › Laptop');

  // Edit the field from the side panel; the timeline names it.
  await agent.click('[data-testid="custom-fields"] button:has-text("Edit")');
  await agent.selectOption('#cf_site', 'Paris');
  await agent.click('[data-testid="custom-fields"] button:has-text("Save details")');
  await agent.waitForSelector('[data-testid="timeline"] >> text=changed Site: Berlin → Paris');
  // Team and tags from the side panel.
  await agent.waitForSelector('#f_team option:has-text("Service Desk")', { state: 'attached' });
  await agent.selectOption('#f_team', { label: 'Service Desk' });
  await agent.waitForSelector('[data-testid="timeline"] >> text=changed team: — → Service Desk');
  await agent.fill('#f_tags', 'dock, usb-c');
  await agent.press('#f_tags', 'Tab');
  await agent.waitForSelector('[data-testid="timeline"] >> text=changed tags: — → dock, usb-c');
  // "w" watches the ticket.
  await agent.click('body');
  await agent.keyboard.press('w');
  await agent.waitForSelector('[data-testid="watchers"] li >> text=Alex Agent');
  await agent.screenshot({ path: `${shots}ticket-fields.png` });

  // The category filter finds it (Hardware includes Laptop); the older one has none.
  await agent.goto(`${ctx.helios.url}/desk`);
  await hydrated(agent);
  await agent.click('[data-testid="views"] button:has-text("All open")');
  await agent.click('[data-testid="more-filters-toggle"]');
  await agent.waitForSelector('[data-testid="more-filters"] select[aria-label="Category"] option:has-text("Hardware")', { state: 'attached' });
  await agent.selectOption('[data-testid="more-filters"] select[aria-label="Category"]', { label: 'Hardware' });
  await agent.waitForSelector('[data-testid="count"] >> text=1 tickets');
  await agent.waitForSelector('[data-testid="queue"] >> text=Docking station dead');
  await agent.selectOption('[data-testid="more-filters"] select[aria-label="Category"]', '');
  await agent.waitForSelector('[data-testid="count"] >> text=2 tickets');

  // Sorting by number: descending first, then ascending.
  const rows = () => agent.$$eval('[data-testid="queue"] [data-row]', (r) => r.map((x) => x.getAttribute('data-row')));
  await agent.click('[data-sort="Number"]');
  await agent.waitForFunction(() => document.querySelector('th[aria-sort="descending"] [data-sort="Number"]'));
  await agent.waitForFunction((n) => document.querySelector('[data-testid="queue"] [data-row]')?.getAttribute('data-row') !== `TKT-${n}`, first);
  await agent.click('[data-sort="Number"]');
  await agent.waitForFunction((n) => document.querySelector('[data-testid="queue"] [data-row]')?.getAttribute('data-row') === `TKT-${n}`, first);
  assert.deepEqual(await rows(), [`TKT-${first}`, `TKT-${first + 1}`]);
  // The order menu (still open under "More filters") offers the rest, e.g. oldest first.
  await agent.selectOption('[data-testid="more-filters"] select[aria-label="Order"]', 'created_asc');
  await agent.waitForFunction(() => !document.querySelector('th[aria-sort]'));
  assert.deepEqual(await rows(), [`TKT-${first}`, `TKT-${first + 1}`]);
  await agent.screenshot({ path: `${shots}queue-filters.png` });
  // The one refused create (required field) is the only failed request.
  assert.deepEqual(agent.errors.filter((e) => !e.includes('status of 422')), []);
  assert.deepEqual(manager.errors, []);
});
