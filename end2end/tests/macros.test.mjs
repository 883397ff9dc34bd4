// Macros from the palette, and presence: an agent opens a ticket, presses "/",
// types a macro's name and Enter; the rendered text lands in the reply box for
// editing and the macro's field change is already saved. A second agent on the same
// ticket sees "… is viewing", then "… is replying…", and the banner goes when the
// first agent leaves. The requester panel lists the requester's other tickets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, hydrated, signIn, useHelios, api } from '../lib/harness.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ctx = useHelios({ before, after });

test('a macro applied from the palette fills the reply box and changes the ticket; a second agent sees presence', async () => {
  const requester = await newPage(ctx.browser);
  await signIn(requester, ctx.helios.url, 'requester');
  const older = await api(requester, 'tickets/create', { title: 'Monitor flickers', description: '', priority: 'p3', requester: null });
  const number = await api(requester, 'tickets/create', { title: 'Cannot reach the VPN', description: 'Since this morning', priority: 'p3', requester: null });

  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  await api(agent, 'macros/save', {
    input: {
      id: null, name: 'VPN reset steps', internal: false, shared: false,
      body: 'Hi {{requester.first_name}}, about {{ticket.number}}: please reconnect. {{agent.first_name}}',
      actions: { status: 'in_progress', priority: 'p2', assignee: { kind: 'me' }, add_tags: ['vpn'] },
    },
  });

  // The management screen previews the text and flags unknown placeholders live.
  await agent.goto(`${ctx.helios.url}/desk/macros`);
  await hydrated(agent);
  await agent.click('[data-testid="macro-list"] button:has-text("VPN reset steps")');
  await agent.waitForSelector('[data-testid="macro-preview"] >> text=Hi Riley, about TKT-42: please reconnect. Alex');
  await agent.fill('#macro_body', 'Hello {{requester.phone}}');
  await agent.waitForSelector('[data-testid="placeholder-error"] >> text={{requester.phone}}');
  assert.equal(await agent.isDisabled('[data-testid="save-macro"]'), true);

  await agent.goto(`${ctx.helios.url}/desk/tickets/${number}`);
  await hydrated(agent);
  await agent.waitForSelector('#reply');
  // The requester panel: their other open ticket, linked, and the counts.
  await agent.waitForSelector(`[data-testid="requester-open"] a[href="/desk/tickets/${older}"]`);
  await agent.waitForSelector('[data-testid="requester-counts"] >> text=2 open');

  // A second agent opens the same ticket and sees the first one there.
  const lead = await newPage(ctx.browser);
  await signIn(lead, ctx.helios.url, 'team_lead');
  await lead.goto(`${ctx.helios.url}/desk/tickets/${number}`);
  await hydrated(lead);
  await lead.waitForSelector('[data-testid="presence"] >> text=Alex Agent is viewing', { timeout: 5_000 });
  // ...and the first agent sees the second arrive, live.
  await agent.waitForSelector('[data-testid="presence"] >> text=Terry Lead is viewing', { timeout: 5_000 });

  // "/", the macro's name, Enter.
  await agent.keyboard.press('/');
  await agent.waitForFunction(() => document.activeElement?.matches('[data-testid="palette"] input'));
  await agent.keyboard.type('vpn reset');
  await agent.waitForSelector('[data-testid="palette"] [data-macro="VPN reset steps"]');
  await agent.keyboard.press('Enter');
  const text = `Hi Riley, about TKT-${number}: please reconnect. Alex`;
  await agent.waitForFunction((t) => document.querySelector('#reply')?.value === t, text);
  await agent.waitForSelector('[data-testid="status"] >> text=In Progress');
  await agent.waitForSelector('[data-testid="assignee"] >> text=Alex Agent');
  // The text is in the box to edit, focused, not sent.
  await agent.waitForFunction(() => document.activeElement?.id === 'reply');
  const detail = await api(agent, 'tickets/get', { number });
  assert.equal(detail.ticket.priority, 'p2');
  assert.deepEqual(detail.ticket.tags, ['vpn']);
  assert.ok(!detail.timeline.some((i) => i.what.kind === 'comment'), 'nothing was sent yet');

  // The autosave of that draft tells the lead the agent is replying.
  await lead.waitForSelector('[data-testid="presence"] >> text=Alex Agent is replying…', { timeout: 5_000 });
  await lead.waitForSelector('[data-testid="status"] >> text=In Progress', { timeout: 5_000 });
  await agent.screenshot({ path: `${shots}macro-applied.png` });
  await lead.screenshot({ path: `${shots}presence.png` });

  // The agent goes back to the queue (Alt+1): the lead's banner empties at once.
  await agent.keyboard.press('Alt+1');
  await agent.waitForSelector('[data-testid="views"]');
  await lead.waitForSelector('[data-testid="presence"]', { state: 'detached', timeout: 5_000 });

  // A requester is refused presence outright.
  const refused = await requester.evaluate(async (n) => {
    const res = await fetch('/api/presence/heartbeat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: n }) });
    return res.status;
  }, number);
  assert.equal(refused, 403);
  assert.deepEqual(agent.errors, []);
  assert.deepEqual(lead.errors, []);
  await agent.context().close();
  await lead.context().close();
  await requester.context().close();
});
