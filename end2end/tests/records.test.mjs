// IT records from the browser: an agent creates an asset for a requester, links it
// to the requester's ticket from the asset page's link picker, and finds it on the
// ticket: in its links and in the requester panel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, hydrated, signIn, useHelios, api } from '../lib/harness.mjs';

const ctx = useHelios({ before, after });

test('an asset created and linked on its page shows on the ticket and in the requester panel', async () => {
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  const [riley] = await api(agent, 'links/search', { query: 'requester@demo', kinds: ['user'] });
  const number = await api(agent, 'tickets/create', {
    title: 'Laptop fan is loud', description: '', priority: 'p3', requester: riley.id,
  });

  await agent.goto(`${ctx.helios.url}/assets/new`);
  await hydrated(agent);
  await agent.waitForSelector('[data-testid="asset-name"]');
  await agent.fill('[data-testid="asset-name"]', 'MacBook Pro 14');
  await agent.fill('[data-testid="asset-tag"]', 'MBP-0042');
  await agent.selectOption('[data-testid="asset-type"]', 'laptop');
  await agent.click('[data-testid="asset-assigned"]');
  await agent.type('[data-testid="asset-assigned"]', 'Riley');
  await agent.click('li[role="option"]:has-text("Riley Requester")');
  await agent.click('[data-testid="save-asset"]');
  await agent.waitForURL(/\/assets\/[0-9a-f-]{36}$/);
  await agent.waitForSelector('[data-testid="asset-history"] >> text=created');

  // Link it to the ticket with the keyboard: open the picker, filter by kind, type, Enter.
  await agent.waitForSelector('[data-testid="links-panel"] >> text=Not linked to anything yet.');
  await agent.click('[data-testid="add-link"]');
  await agent.selectOption('[data-testid="link-kind"]', 'ticket');
  await agent.waitForFunction(() => document.activeElement?.dataset?.testid === 'link-search');
  await agent.type('[data-testid="link-search"]', String(number));
  await agent.waitForSelector('[data-testid="link-candidate"] >> text=Laptop fan is loud');
  await agent.keyboard.press('Enter');
  await agent.waitForSelector('[data-testid="link-row"] >> text=Laptop fan is loud');

  // The ticket shows the asset in its links and in the requester's records.
  await agent.goto(`${ctx.helios.url}/desk/tickets/${number}`);
  await hydrated(agent);
  await agent.waitForSelector('[data-testid="links-panel"] [data-testid="link-row"] >> text=MacBook Pro 14 (MBP-0042)');
  await agent.waitForSelector('[data-testid="requester-records"] >> text=MacBook Pro 14 (MBP-0042)');
  const href = await agent.getAttribute('[data-testid="requester-records"] a', 'href');
  assert.match(href, /^\/assets\/[0-9a-f-]{36}$/);
  assert.deepEqual(agent.errors, []);
});

test('a credential revealed with a reason shows the secret and leaves an audit entry naming the reason', async () => {
  const admin = await newPage(ctx.browser);
  await signIn(admin, ctx.helios.url, 'admin');
  const password = 'Tr0ub4dor&3-router';
  const cred = await api(admin, 'vault/save', {
    input: {
      id: null, name: 'Core router admin', username: 'admin', url: 'https://192.0.2.1', notes: '', expires_on: '',
      password: { op: 'set', value: password }, totp: { op: 'keep' },
    },
  });
  await admin.goto(`${ctx.helios.url}/vault/${cred.id}`);
  await hydrated(admin);
  await admin.waitForSelector('[data-testid="secret"]');
  assert.ok(!(await admin.content()).includes(password), 'the page never holds the password before a reveal');
  await admin.click('button:has-text("Reveal")');
  await admin.waitForSelector('[data-testid="reason-dialog"]');
  const reason = 'Restarting the router for the outage';
  await admin.fill('#reveal-reason', reason);
  await admin.click('[data-testid="reason-dialog"] button:has-text("Continue")');
  await admin.waitForSelector(`[data-testid="secret"] >> text=${password}`);

  // The audit log lists the reveal with its reason, and not the secret.
  await admin.goto(`${ctx.helios.url}/admin/audit`);
  await hydrated(admin);
  await admin.waitForSelector('[data-testid="audit-table"] >> text=credential.reveal');
  const row = admin.locator('[data-testid="audit-table"] tr', { hasText: 'credential.reveal' }).first();
  await row.locator('summary').click();
  const details = await row.textContent();
  assert.match(details, new RegExp(reason));
  assert.ok(!details.includes(password));
  assert.deepEqual(admin.errors, []);
});

test('a monitored certificate is moved to another port from its page', async () => {
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  const cert = await api(agent, 'domains/save_certificate', {
    input: { id: null, host: 'intranet.example.test', port: 443, domain_id: null },
  });
  await agent.goto(`${ctx.helios.url}/domains/certificates/${cert.id}`);
  await hydrated(agent);
  await agent.waitForSelector('h1 >> text=intranet.example.test:443');
  await agent.click('[data-testid="edit-certificate-toggle"]');
  await agent.fill('#edit-certificate-port', '99999');
  await agent.click('[data-testid="edit-certificate"] button[type="submit"]');
  await agent.waitForSelector('[data-testid="edit-certificate"] [role="alert"]');
  await agent.fill('#edit-certificate-port', '8443');
  await agent.click('[data-testid="edit-certificate"] button[type="submit"]');
  await agent.waitForSelector('text=Saved. Check now to read the certificate there.');
  await agent.waitForSelector('h1 >> text=intranet.example.test:8443');
  const saved = await api(agent, 'domains/certificate', { id: cert.id });
  assert.equal(saved.certificate.port, 8443);
  assert.deepEqual(agent.errors.filter((e) => !e.includes('status of 422')), []);
});
