// The agent console, keyboard only: find a ticket by a word from a comment, work
// it in tabs with a draft that survives a reload, send with Ctrl+Enter, set a
// status with `s`; a second agent sees it all live. Then a bulk assignment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, hydrated, signIn, useHelios, api } from '../lib/harness.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ctx = useHelios({ before, after });

const ticket = (title, priority = 'p3') => ({ title, description: '', priority, requester: null });

test('an agent works tickets in tabs by keyboard and another agent sees it live', async () => {
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  const projector = await api(agent, 'tickets/create', ticket('Projector in room 4 shows no signal'));
  await api(agent, 'tickets/comment', { number: projector, body: 'Tried the spare HDMI dongle, no luck', internal: false });
  const vpn = await api(agent, 'tickets/create', ticket('VPN drops every hour'));
  const printer = await api(agent, 'tickets/create', ticket('Printer on floor 2 jams'));

  // A second agent watches the projector ticket.
  const lead = await newPage(ctx.browser);
  await signIn(lead, ctx.helios.url, 'team_lead');
  await lead.goto(`${ctx.helios.url}/desk/tickets/${projector}`);
  await hydrated(lead);

  await agent.goto(`${ctx.helios.url}/desk`);
  await hydrated(agent);
  // "?" lists the shortcuts.
  await agent.keyboard.press('?');
  await agent.waitForSelector('[data-testid="shortcuts"] >> text=Switch tabs');
  await agent.keyboard.press('Escape');
  await agent.waitForSelector('[data-testid="shortcuts"]', { state: 'detached' });

  // "/" finds the ticket by a word from its comment; Enter opens it as a tab.
  const open = async (words, title) => {
    await agent.keyboard.press('/');
    await agent.waitForFunction(() => document.activeElement?.matches('[data-testid="palette"] input'));
    await agent.keyboard.type(words);
    await agent.waitForSelector(`[data-testid="palette"] li >> text=${title}`);
    await agent.keyboard.press('Enter');
    await agent.waitForSelector(`[data-testid="ticket-title"] >> text=${title}`);
  };
  await open('dongle', 'Projector in room 4');
  await agent.waitForSelector(`[data-testid="tabs"] [data-tab="TKT-${projector}"]`);
  await open('VPN', 'VPN drops every hour');
  await open('printer', 'Printer on floor 2 jams');
  await agent.waitForSelector(`[data-testid="tabs"] [data-tab="TKT-${printer}"]`);

  // Alt+2 is the first ticket tab. "r" writes a reply; Alt+3 switches away.
  await agent.keyboard.press('Alt+2');
  await agent.waitForSelector('[data-testid="ticket-title"] >> text=Projector in room 4');
  await agent.keyboard.press('r');
  await agent.keyboard.type('Swapped the cable for a USB-C adapter, please test');
  await agent.keyboard.press('Alt+3');
  await agent.waitForSelector('[data-testid="ticket-title"] >> text=VPN drops every hour');
  await agent.waitForSelector(`[data-tab="TKT-${projector}"] [data-testid="draft-dot"]`);
  await agent.screenshot({ path: `${shots}console-tabs.png` });

  // Reload: the tabs and the draft come back from the server.
  await agent.reload();
  await hydrated(agent);
  await agent.waitForSelector(`[data-testid="tabs"] [data-tab="TKT-${vpn}"]`);
  await agent.keyboard.press('Alt+2');
  await agent.waitForSelector('[data-testid="ticket-title"] >> text=Projector in room 4');
  await agent.waitForFunction(() => document.querySelector('#reply')?.value === 'Swapped the cable for a USB-C adapter, please test');

  // Ctrl+Enter sends; "s" opens the status picker; typing narrows it.
  await agent.keyboard.press('r');
  await agent.keyboard.press('Control+Enter');
  await agent.waitForSelector('[data-testid="timeline"] >> text=USB-C adapter');
  await agent.waitForFunction(() => document.querySelector('#reply')?.value === '');
  await agent.keyboard.press('Escape');
  await agent.locator('#reply').blur();
  await agent.keyboard.press('s');
  await agent.waitForFunction(() => document.activeElement?.matches('[data-testid="picker"] input'));
  await agent.keyboard.type('Awaiting In');
  await agent.keyboard.press('Enter');
  await agent.waitForSelector('[data-testid="status"] >> text=Awaiting Info');
  const draft = await api(agent, 'desk/draft', { number: projector });
  assert.equal(draft, null, 'the sent reply is no longer a draft');

  // The lead did nothing: the reply and the status change arrive live.
  await lead.waitForSelector('[data-testid="timeline"] >> text=USB-C adapter', { timeout: 5_000 });
  await lead.waitForSelector('[data-testid="status"] >> text=Awaiting Info', { timeout: 5_000 });
  await agent.screenshot({ path: `${shots}ticket.png` });
  assert.deepEqual(agent.errors, []);
  assert.deepEqual(lead.errors, []);
  await agent.context().close();
  await lead.context().close();
});

test('an agent bulk-assigns 50 tickets from a filtered view', async () => {
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  for (let i = 1; i <= 55; i++) await api(agent, 'tickets/create', ticket(`Laptop refresh ${i}`, 'p4'));
  await agent.goto(`${ctx.helios.url}/desk`);
  await hydrated(agent);
  // "All open", then only low-priority unassigned tickets.
  await agent.click('[data-testid="views"] button:has-text("All open")');
  await agent.selectOption('[data-testid="filters"] select[aria-label="Priority"]', 'P4');
  await agent.selectOption('[data-testid="filters"] select[aria-label="Assignee"]', 'unassigned');
  await agent.waitForSelector('[data-testid="count"] >> text=55 tickets');
  await agent.waitForFunction(() => document.querySelectorAll('[data-row]').length === 50);
  await agent.check('thead input[type=checkbox]');
  await agent.waitForSelector('[data-testid="picked"] >> text=50 selected');
  await agent.waitForSelector('[data-testid="bulk-assignee"] option:has-text("Alex Agent")', { state: 'attached' });
  await agent.selectOption('[data-testid="bulk-assignee"]', { label: 'Alex Agent' });
  await agent.screenshot({ path: `${shots}bulk.png` });
  await agent.click('[data-testid="bulk-apply"]');
  await agent.waitForSelector('[data-testid="bulk-summary"] >> text=Changed 50 of 50 tickets');
  // Live: the view now shows the five left over.
  await agent.waitForSelector('[data-testid="count"] >> text=5 tickets');
  const mine = await api(agent, 'tickets/count', { filter: { priority: 'p4', assignee: { kind: 'me' } } });
  assert.deepEqual(mine, { count: 50, more: false });
  assert.deepEqual(agent.errors, []);
  await agent.context().close();
});
