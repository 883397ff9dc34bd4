// Outgoing mail from the browser: an administrator sets up the relay, sends a
// test message to themselves (it reaches a real SMTP server on loopback), sees it
// in the outbox, and gets the relay's reason when the relay cannot be reached.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { newPage, hydrated, signIn, useHelios } from '../lib/harness.mjs';
import { startSmtpSink } from '../lib/smtp-sink.mjs';

const ctx = useHelios({ before, after });
const shots = new URL('../screenshots/', import.meta.url).pathname;

// A port nothing listens on: bound, noted, released.
async function closedPort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test('an administrator sets up outgoing mail, sends a test to themselves and reads the outbox', async () => {
  const sink = await startSmtpSink();
  try {
    const admin = await newPage(ctx.browser);
    await signIn(admin, ctx.helios.url, 'admin');
    await admin.goto(`${ctx.helios.url}/admin/mail`);
    await hydrated(admin);
    await admin.waitForSelector('[data-testid="outbox"] >> text=No messages yet.');
    assert.equal(await admin.isDisabled('[data-testid="mail-test"]'), true, 'nothing to test before saving');

    await admin.fill('[data-testid="mail-host"]', '127.0.0.1');
    await admin.selectOption('[data-testid="mail-security"]', 'none');
    assert.equal(await admin.inputValue('[data-testid="mail-port"]'), '25', 'the port follows the security choice');
    await admin.fill('[data-testid="mail-port"]', String(sink.port));
    await admin.fill('[data-testid="mail-from_address"]', 'not an address');
    await admin.click('[data-testid="mail-save"]');
    await admin.waitForSelector('text=Enter the address mail is sent from');
    await admin.fill('[data-testid="mail-from_address"]', 'helpdesk@example.test');
    await admin.fill('[data-testid="mail-from_name"]', 'IT Helpdesk');
    await admin.click('[data-testid="mail-save"]');
    await admin.waitForSelector('text=Saved. Alerts are now mailed as well as shown in Helios.');

    await admin.click('[data-testid="mail-test"]');
    await admin.waitForSelector('text=A test message went to admin@demo.helios.test.');
    const [m] = await sink.waitFor(1);
    assert.deepEqual(m.to, ['admin@demo.helios.test']);
    assert.match(m.data, /Subject: Helios test message/);
    await admin.waitForSelector('[data-testid="outbox-row"] >> text=Sent');
    await admin.screenshot({ path: `${shots}mail.png`, fullPage: true });

    // An unreachable relay: the page says why, and the outbox keeps the failure.
    const port = await closedPort();
    await admin.fill('[data-testid="mail-port"]', String(port));
    await admin.click('[data-testid="mail-save"]');
    await admin.waitForSelector('text=Saved. Alerts are now mailed as well as shown in Helios.');
    await admin.click('[data-testid="mail-test"]');
    await admin.waitForSelector(`text=The test message was not sent: 127.0.0.1:${port}`);
    await admin.waitForSelector('[data-testid="outbox-row"] >> text=Failed');
    await admin.click('[data-testid="outbox-failed"]');
    await admin.waitForFunction(() => document.querySelectorAll('[data-testid="outbox-row"]').length === 1);
    assert.equal(sink.messages.length, 1);
    // The two refusals (bad address, unreachable relay) are 422 answers the page shows.
    assert.deepEqual(admin.errors.filter((e) => !e.includes('status of 422')), []);
  } finally {
    sink.close();
  }
});
