// Pickers that scale (issue 12 B3), in a real browser: a risk's assets, an applied control's
// Annex A controls and a risk's threat are comboboxes with chips (type to search, keyboard and
// mouse, Backspace and "Remove …" buttons) over the native select the form posts; with more
// than 10,000 assets the picker searches on the server. Screenshots in E2E_OUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startRampart, launchBrowser, openPage, firstSignIn, outDir } from './harness.mjs';

let rampart;
let browser;
let page;
let problems;
const password = 'a long and private passphrase';
let api;

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
  await firstSignIn(page, rampart, password);
  await page.goto(`${rampart.baseUrl}/risks`);
  const csrf = await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.value);
  assert.ok(csrf, 'the page carries its CSRF token');
  // The JSON API with the page's session (cookie and CSRF token).
  api = async (method, url, data, extra = {}) => {
    const res = await page.request.fetch(`${rampart.baseUrl}/api/v1/${url}`, {
      method, headers: { 'X-CSRF-Token': csrf, Origin: rampart.baseUrl, ...extra }, data });
    assert.ok(res.ok(), `${method} ${url}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const shot = (name) =>
  page.screenshot({ path: path.join(outDir, `pickers-${name}.png`), fullPage: true });

// Creates assets `names` through the API, `parallel` requests at a time; their ids in order.
async function createAssets(names, parallel = 4) {
  const ids = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next;
      next += 1;
      ids[i] = (await api('POST', 'assets', { name: names[i], type: 'service' })).id;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ids;
}

const chips = (field) => page.locator(`#${field}`).locator('xpath=following-sibling::div[1]')
  .locator('.chip-label');

let assetIds;
let risk;

test('a risk\'s assets are picked by typing, keyboard and mouse, and removed as chips', async () => {
  // 135 assets, as in the trial: embedded in the form and filtered in the browser.
  const names = ['Mail server', 'Staff laptops', 'Wiki <intranet>', 'Web shop'];
  for (let i = names.length; i < 135; i += 1) names.push(`Asset ${String(i).padStart(3, '0')}`);
  assetIds = await createAssets(names);
  risk = await api('POST', 'risks', { title: 'Ransomware encrypts the mail server' });
  await page.goto(`${rampart.baseUrl}/risks/${risk.id}/edit`);

  // The native select is still the form's field, hidden; its label names the combobox.
  const select = page.locator('select#assets');
  assert.equal(await select.isHidden(), true);
  assert.equal(await select.locator('option').count(), 135);
  const box = page.getByRole('combobox', { name: 'Assets' });
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  const listboxId = await box.getAttribute('aria-controls');
  const listbox = page.locator(`[id="${listboxId}"]`);
  assert.equal(await listbox.getAttribute('role'), 'listbox');

  // Keyboard: type, arrow to the match, Enter.
  await box.fill('mail');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.equal(await listbox.getByRole('option').count(), 1);
  await shot('01-typed');
  await box.press('ArrowDown');
  await box.press('Enter');
  assert.deepEqual(await chips('assets').allInnerTexts(), ['Mail server']);
  assert.equal(await box.inputValue(), '', 'the text is cleared for the next search');

  // Mouse: type, click the option.
  await box.fill('laptop');
  await listbox.getByRole('option', { name: 'Staff laptops' }).click();
  // Keyboard again, with markup in the title shown as text.
  await box.fill('<intra');
  await box.press('Enter');
  assert.deepEqual(await chips('assets').allInnerTexts(),
    ['Mail server', 'Staff laptops', 'Wiki <intranet>']);
  // The listbox marks what is chosen.
  await box.fill('p');
  assert.equal(await listbox.getByRole('option').count(), 2);
  assert.equal(await listbox.getByRole('option', { name: 'Staff laptops' })
    .getAttribute('aria-selected'), 'true');
  assert.equal(await listbox.getByRole('option', { name: 'Web shop' })
    .getAttribute('aria-selected'), 'false');
  await shot('02-chosen-and-listbox');
  await box.press('Escape');
  assert.equal(await box.getAttribute('aria-expanded'), 'false');
  await box.press('Escape');
  assert.equal(await box.inputValue(), '');

  // Backspace in the empty box removes the last chip; a chip's button removes it.
  await box.press('Backspace');
  assert.deepEqual(await chips('assets').allInnerTexts(), ['Mail server', 'Staff laptops']);
  await page.getByRole('button', { name: 'Remove Mail server' }).click();
  assert.deepEqual(await chips('assets').allInnerTexts(), ['Staff laptops']);
  assert.equal(await box.evaluate((el) => el === document.activeElement), true);
  // ... and the select follows.
  assert.deepEqual(await select.evaluate((s) =>
    Array.from(s.selectedOptions, (o) => o.textContent)), ['Staff laptops']);

  // One more by keyboard, then save: the saved references are the chips.
  await box.fill('web sh');
  await box.press('Enter');
  await box.press('Escape');
  await shot('03-before-save');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/notice=saved$/);
  const saved = await api('GET', `risks/${risk.id}`);
  assert.deepEqual([...saved.assets].sort((a, b) => a - b),
    [assetIds[1], assetIds[3]].sort((a, b) => a - b));
  const details = page.locator('section.record');
  await details.getByRole('link', { name: 'Staff laptops' }).waitFor();
  await details.getByRole('link', { name: 'Web shop' }).waitFor();
  await shot('04-saved');
});

test('a single reference and the 93 Annex A controls are pickers too', async () => {
  await page.goto(`${rampart.baseUrl}/risks/${risk.id}/edit`);
  // The threat: one choice, replaced by the next; its chip clears it.
  const threat = page.getByRole('combobox', { name: 'Threat' });
  await threat.fill('phish');
  await threat.press('Enter');
  const chosen = await chips('threat').allInnerTexts();
  assert.equal(chosen.length, 1);
  assert.match(chosen[0], /phish/i);
  assert.equal(await threat.getAttribute('aria-expanded'), 'false');
  await shot('05-threat');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/notice=saved$/);
  assert.ok((await api('GET', `risks/${risk.id}`)).threat > 0);

  await page.goto(`${rampart.baseUrl}/controls/new`);
  await page.locator('#name').fill('Access reviews');
  const annex = page.getByRole('combobox', { name: 'Annex A controls' });
  await annex.click();
  const listbox = page.locator(`[id="${await annex.getAttribute('aria-controls')}"]`);
  assert.equal(await listbox.getByRole('option').count(), 93);
  await annex.fill('access');
  const matches = await listbox.getByRole('option').allInnerTexts();
  assert.ok(matches.includes('5.15 Access control'), matches.join(' | '));
  assert.ok(matches.every((m) => /access/i.test(m)), matches.join(' | '));
  await listbox.getByRole('option', { name: '5.15 Access control' }).click();
  await annex.fill('5.18');
  await annex.press('Enter');
  await shot('06-annex-a');
  await page.getByRole('button', { name: /^Create/ }).click();
  await page.waitForURL(/\/controls\/\d+\?notice=created$/);
  const id = /\/controls\/(\d+)/.exec(page.url())[1];
  assert.deepEqual((await api('GET', `controls/${id}`)).annex_controls, ['5.15', '5.18']);
});

test('with 10,000 assets the picker searches on the server', async () => {
  // 10,000 through the API take minutes under the sanitizers (one audited, fsynced write
  // each), so they are written in one SQL statement beside the running server, copying an
  // asset made through the API: real rows, indexed for search by the table's triggers (only
  // their audit events are missing, which nothing here reads).
  const started = Date.now();
  execFileSync('sqlite3', [rampart.db, `
    PRAGMA busy_timeout = 10000;
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9999)
    INSERT INTO assets (org_id, version, created_at, updated_at, created_by, updated_by, name,
                        type, in_scope, status)
    SELECT a.org_id, 1, a.created_at, a.updated_at, a.created_by, a.updated_by,
           printf('Bulk asset %05d', n.i), 'service', 1, 'active'
    FROM n, (SELECT * FROM assets WHERE id = ${assetIds[0]}) AS a;`]);
  console.log(`seeded 10,000 assets in ${Date.now() - started} ms`);
  const total = await api('GET', 'assets?total=true&limit=1');
  assert.equal(total.total, 10135);

  // The route: matches by title, bounded, JSON.
  const res = await page.request.get(`${rampart.baseUrl}/assets/options?q=bulk%20asset%2009&limit=500`);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/json');
  const body = await res.json();
  assert.equal(body.data.length, 50);
  assert.equal(body.more, true);
  assert.equal(body.data[0].title, 'Bulk asset 09000');

  await page.goto(`${rampart.baseUrl}/risks/${risk.id}/edit`);
  const select = page.locator('select#assets');
  assert.equal(await select.getAttribute('data-picker-source'), '/assets/options');
  assert.equal(await select.locator('option').count(), 2, 'only the chosen assets are in the page');
  assert.deepEqual(await chips('assets').allInnerTexts(), ['Staff laptops', 'Web shop']);
  const box = page.getByRole('combobox', { name: 'Assets' });
  const listbox = page.locator(`[id="${await box.getAttribute('aria-controls')}"]`);
  const answer = page.waitForResponse((r) => r.url().includes('/assets/options?') &&
    r.url().includes('q=09876'));
  await box.fill('09876');
  assert.equal((await answer).status(), 200);
  await listbox.getByRole('option', { name: 'Bulk asset 09876' }).waitFor();
  assert.equal(await listbox.getByRole('option').count(), 1);
  await shot('07-server-search');
  await box.press('Enter');
  // A broad search says there are more than it shows.
  await box.fill('bulk');
  await page.getByText('The first 20 matches: type more to narrow them').waitFor();
  assert.equal(await listbox.getByRole('option').count(), 20);
  await shot('08-server-more');
  await box.press('Escape');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/notice=saved$/);
  const saved = await api('GET', `risks/${risk.id}`);
  assert.equal(saved.assets.length, 3);
  assert.ok(saved.assets.includes(assetIds[1]));
  const bulk = (await api('GET', 'assets?q=Bulk%20asset%2009876')).data;
  assert.equal(bulk.length, 1);
  assert.ok(saved.assets.includes(bulk[0].id));
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(problems, []);
});
