// Documents in the browser: a folder and a document made through the pages, the
// body edited with a live preview and saved as version 2, the two versions compared
// and version 1 restored, a misspelt title found by the search box, a stale save
// refused with its message.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newPage, hydrated, signIn, useHelios, api } from '../lib/harness.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ctx = useHelios({ before, after });

test('a team lead writes, edits, compares and restores a document through the pages', async () => {
  const page = await newPage(ctx.browser);
  await signIn(page, ctx.helios.url, 'team_lead');
  await page.goto(`${ctx.helios.url}/docs`);
  await hydrated(page);

  // A folder from the folder pane (Enter submits).
  await page.click('[data-testid="new-folder"]');
  await page.fill('#folder_name', 'Network');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="folder-tree"] [data-testid="folder"][aria-current="true"] >> text=Network');

  // A document in it: title, then straight into the editor.
  await page.click('[data-testid="new-document"]');
  await page.fill('#new_title', 'VPN runbook');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/docs\/[0-9a-f-]+\?tab=edit/);
  await hydrated(page);
  await page.waitForSelector('#doc_body');
  await page.fill('#doc_body', '# VPN\n\nConnect with **WireGuard**.\n');
  await page.waitForFunction(() => document.querySelector('[data-testid="doc-preview"]')?.innerHTML.includes('<strong>WireGuard</strong>'));
  await page.screenshot({ path: `${shots}/docs-edit.png` });
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('[data-testid="doc-body"] h1 >> text=VPN');
  await page.waitForSelector('[data-testid="doc-meta"] >> text=Version 2');
  const id = new URL(page.url()).pathname.split('/').pop();

  // History: compare 1 → 2, then restore 1 (a new version 3).
  await page.click('[data-testid="tab-history"]');
  await page.click('[data-testid="compare"]');
  await page.waitForSelector('[data-testid="diff"] [data-kind="added"] >> text=WireGuard');
  await page.screenshot({ path: `${shots}/docs-history.png` });
  page.once('dialog', (d) => d.accept());
  await page.click('[data-testid="restore-1"]');
  await page.waitForSelector('[data-testid="doc-meta"] >> text=Version 3');
  const doc = await api(page, 'documents/get', { id });
  assert.equal(doc.body, '');
  assert.equal(doc.version, 3);

  // Someone else saves meanwhile: this editor's save is refused and says why.
  await page.click('[data-testid="tab-edit"]');
  await page.fill('#doc_body', 'my edit');
  await api(page, 'documents/save', { id, version: 3, title: 'VPN runbook', body: 'their edit' });
  await page.click('[data-testid="save-document"]');
  await page.waitForSelector('text=Nothing was saved');
  assert.equal(await page.inputValue('#doc_body'), 'my edit');
  assert.equal((await api(page, 'documents/get', { id })).body, 'their edit');

  // Files: attached from the Files tab, downloaded as an attachment.
  await page.click('[data-testid="tab-files"]');
  await page.setInputFiles('#doc_file', { name: 'wg0.conf.txt', mimeType: 'text/plain', buffer: Buffer.from('[Interface]\n') });
  const link = await page.waitForSelector('[data-testid="doc-files"] a >> text=wg0.conf.txt');
  const href = await link.getAttribute('href');
  const got = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return { status: r.status, disposition: r.headers.get('content-disposition'), text: await r.text() };
  }, href);
  assert.equal(got.status, 200);
  assert.match(got.disposition, /^attachment;/);
  assert.equal(got.text, '[Interface]\n');

  // The list and its search box: a misspelt title is found.
  await api(page, 'documents/create', { folder: null, title: 'Printer onboarding', body: 'Install the driver.' });
  await page.goto(`${ctx.helios.url}/docs`);
  await hydrated(page);
  await page.waitForSelector('[data-testid="document-list"] a >> text=VPN runbook');
  await page.fill('[data-testid="doc-search"]', 'priner onbording');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="document-list"] tbody a')].map((a) => a.textContent);
    return rows.length === 1 && rows[0] === 'Printer onboarding';
  });
  await page.screenshot({ path: `${shots}/docs-list.png` });
  // The refused save is the only failed request.
  assert.deepEqual(page.errors.filter((e) => !e.includes('409')), []);
});
