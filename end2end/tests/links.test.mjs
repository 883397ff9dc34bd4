// Links and attachments from the ticket view: an agent links two tickets with the
// links panel (both tickets show it), attaches a file to a reply, sends it and
// downloads it from the timeline, then attaches a file to the description.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPage, hydrated, signIn, useHelios, api } from '../lib/harness.mjs';

// Files of this run stay out of the working tree.
process.env.HELIOS_ATTACHMENTS_DIR = mkdtempSync(join(tmpdir(), 'helios-e2e-files-'));
const ctx = useHelios({ before, after });

const ticket = (title) => ({ title, description: '', priority: 'p3', requester: null });

test('an agent links two tickets and sends a reply with a file that downloads', async () => {
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  const child = await api(agent, 'tickets/create', ticket('Laptop 17 will not charge'));
  const parent = await api(agent, 'tickets/create', ticket('Charger recall, floor 3'));

  await agent.goto(`${ctx.helios.url}/desk/tickets/${child}`);
  await hydrated(agent);
  await agent.waitForSelector('[data-testid="links"] >> text=No links yet.');
  await agent.selectOption('#link-relation', 'child_of');
  await agent.fill('#link-other', `TKT-${parent}`);
  await agent.click('[data-testid="links"] button:has-text("Link")');
  await agent.waitForSelector(`[data-testid="links"] [data-testid="link"] >> text=TKT-${parent}`);
  await agent.waitForSelector(`[data-testid="timeline"] [data-testid="linked"] >> text=TKT-${parent}`);

  // The parent shows the child.
  await agent.goto(`${ctx.helios.url}/desk/tickets/${parent}`);
  await hydrated(agent);
  await agent.waitForSelector(`[data-testid="links"] [data-testid="link"] >> text=TKT-${child}`);
  assert.match(await agent.textContent('[data-testid="links"] [data-testid="link"]'), /Parent of/);

  // A reply with a file: upload on choosing, listed as pending, sent with the reply.
  await agent.goto(`${ctx.helios.url}/desk/tickets/${child}`);
  await hydrated(agent);
  await agent.waitForSelector('#reply');
  const content = 'Serial: HX-2291\nCharger: 65W USB-C\n';
  await agent.setInputFiles('[data-testid="attach-input"]', {
    name: 'charger-notes.txt', mimeType: 'text/plain', buffer: Buffer.from(content),
  });
  await agent.waitForSelector('[data-testid="pending-files"] >> text=charger-notes.txt');
  await agent.fill('#reply', 'Notes from the desk attached');
  await agent.click('button:has-text("Send reply")');
  const link = '[data-testid="timeline"] [data-testid="attachments"] a:has-text("charger-notes.txt")';
  await agent.waitForSelector(link);
  await agent.waitForFunction(() => document.querySelectorAll('[data-testid="pending-files"] li').length === 0);

  const href = await agent.getAttribute(link, 'href');
  const got = await agent.evaluate(async (href) => {
    const r = await fetch(href);
    return { status: r.status, disposition: r.headers.get('content-disposition'), type: r.headers.get('content-type'), body: await r.text() };
  }, href);
  assert.equal(got.status, 200);
  assert.match(got.disposition, /^attachment; filename="charger-notes.txt"/);
  assert.equal(got.type, 'text/plain; charset=utf-8');
  assert.equal(got.body, content);

  // A file for the description shows under the ticket's opening entry.
  await agent.setInputFiles('[data-testid="describe-input"]', {
    name: 'label-photo.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex'),
  });
  await agent.waitForSelector('[data-testid="timeline"] li:has-text("opened the ticket") [data-testid="attachments"] >> text=label-photo.png');
  assert.deepEqual(agent.errors, []);
});

test('an agent merges a duplicate into the original from the ticket view', async () => {
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  const original = await api(agent, 'tickets/create', ticket('Wi-Fi down in the east wing'));
  const dup = await api(agent, 'tickets/create', ticket('No wireless on floor 5 east'));
  await api(agent, 'tickets/comment', { number: dup, body: 'Access point AP-5E blinks orange', internal: false });

  await agent.goto(`${ctx.helios.url}/desk/tickets/${dup}`);
  await hydrated(agent);
  agent.once('dialog', (d) => d.accept());
  await agent.fill('#merge-into', `TKT-${original}`);
  await agent.click('[data-testid="links"] button:has-text("Merge")');
  // The duplicate reloads live: closed, linked, its comment gone to the original.
  await agent.waitForSelector('[data-testid="status"] >> text=Closed');
  await agent.waitForSelector(`[data-testid="timeline"] [data-testid="merged"] >> text=TKT-${original}`);
  await agent.waitForSelector(`[data-testid="links"] [data-testid="link"] >> text=TKT-${original}`);

  await agent.goto(`${ctx.helios.url}/desk/tickets/${original}`);
  await hydrated(agent);
  await agent.waitForSelector('[data-testid="timeline"] >> text=Access point AP-5E blinks orange');
  await agent.waitForSelector(`[data-testid="timeline"] [data-testid="merged"] >> text=TKT-${dup}`);
  assert.match(await agent.textContent('[data-testid="links"] [data-testid="link"]'), /Duplicated by/);
  assert.deepEqual(agent.errors, []);
});

test('an admin changes the attachment size limit in settings', async () => {
  const admin = await newPage(ctx.browser);
  await signIn(admin, ctx.helios.url, 'admin');
  await admin.goto(`${ctx.helios.url}/admin/settings`);
  await hydrated(admin);
  // The current limit is loaded into the field first.
  await admin.waitForFunction(() => document.querySelector('#max_size_mb')?.value === '25');
  await admin.fill('#max_size_mb', '10');
  await admin.click('form:has(#max_size_mb) button[type="submit"]');
  // Saving reloads the settings page; the field then shows the stored limit.
  await admin.waitForFunction(async () => {
    const r = await fetch('/api/settings/attachments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return (await r.json()).max_size_mb === 10;
  });
  await admin.reload();
  await hydrated(admin);
  await admin.waitForFunction(() => document.querySelector('#max_size_mb')?.value === '10');
  assert.deepEqual(admin.errors, []);
});
