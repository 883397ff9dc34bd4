// The agent console: create a ticket, reply with Ctrl+Enter, find it again from the
// command palette by a word of the reply, change its status; a second agent's open
// ticket view follows live.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, hydrated, signIn, useHelios } from '../lib/harness.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ctx = useHelios({ before, after });

test('an agent works a ticket by keyboard and another agent sees it live', async () => {
  const agent = await newPage(ctx.browser);
  await signIn(agent, ctx.helios.url, 'agent');
  // "?" lists the shortcuts; Escape closes; "n" opens the new-ticket form.
  await agent.keyboard.press('?');
  await agent.waitForSelector('[data-testid="shortcuts"] >> text=Go to the queue');
  await agent.keyboard.press('Escape');
  await agent.waitForSelector('[data-testid="shortcuts"]', { state: 'detached' });
  await agent.keyboard.press('n');
  await agent.fill('#nt_title', 'Projector in room 4 shows no signal');
  await agent.fill('#nt_desc', 'Since this morning, HDMI only.');
  await agent.click('button:has-text("Create")');
  await agent.waitForSelector('[data-testid="ticket-title"]');
  await hydrated(agent);
  const ticketUrl = agent.url();

  // A second agent opens the same ticket.
  const lead = await newPage(ctx.browser);
  await signIn(lead, ctx.helios.url, 'team_lead');
  await lead.goto(ticketUrl);
  await hydrated(lead);

  await agent.keyboard.press('r');
  await agent.keyboard.type('Swapped the cable for a USB-C dongle, please test');
  await agent.keyboard.press('Control+Enter');
  await agent.waitForSelector('[data-testid="timeline"] >> text=USB-C dongle');

  // Palette: "/" from the queue, find the ticket by a word from the reply.
  await agent.goto(`${ctx.helios.url}/desk`);
  await hydrated(agent);
  await agent.keyboard.press('/');
  await agent.waitForSelector('[data-testid="palette"] input');
  await agent.keyboard.type('dongle');
  await agent.waitForSelector('[data-testid="palette"] li >> text=Projector in room 4');
  await agent.screenshot({ path: `${shots}palette.png` });
  await agent.keyboard.press('Enter');
  await agent.waitForURL(ticketUrl);
  await agent.waitForSelector('[data-testid="ticket-title"]');
  await hydrated(agent);

  await agent.selectOption('#status', 'awaiting_info');
  await agent.waitForSelector('[data-testid="timeline"] >> text=Awaiting Info');

  // The lead did nothing: the reply and the status change arrive live.
  await lead.waitForSelector('[data-testid="timeline"] >> text=USB-C dongle', { timeout: 5_000 });
  await lead.waitForSelector('[data-testid="timeline"] >> text=Awaiting Info', { timeout: 5_000 });
  await agent.screenshot({ path: `${shots}ticket.png` });
  assert.deepEqual(agent.errors, []);
  assert.deepEqual(lead.errors, []);
  await agent.context().close();
  await lead.context().close();
});
