// The methodology form (issue 12 B12) in a real browser: a draft of the risk methodology offers
// each risk level's colour as a colour input and the roles that may accept a level as checkboxes
// named by role (no ids to type); the saved draft shows the chosen colours and roles by name and
// keeps them for the next edit; approved, it is in force; a risk accepted under it has an
// acceptance record whose snapshot of the risk reads like the risk's page (labels, names,
// titles), with no JSON. Screenshots in E2E_OUT (methodology-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startRampart, launchBrowser, openPage, firstSignIn, outDir } from './harness.mjs';

let rampart;
let browser;
let page;
let problems;
let draftUrl;
let me;

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
  await firstSignIn(page, rampart, 'a long and private passphrase', '/risk-methodology');
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const url = (p) => `${rampart.baseUrl}${p}`;
// A name as a regular expression matching it literally.
const literally = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const shot = (name) =>
  page.screenshot({ path: path.join(outDir, `methodology-${name}.png`), fullPage: true });

const roleLabels = ['Administrator', 'ISMS manager', 'Contributor', 'Auditor', 'Executive',
  'Viewer', 'External auditor', 'Staff'];
// The row of risk level `i` in the draft form: its colour input and its roles' checkboxes.
const colour = (i) => page.locator(`#risk_levels-${i}-colour`);
const roles = (i) => page.locator(`fieldset#risk_levels-${i}-accepted_by`);
const ticked = (i) => roles(i).locator('label.check').filter({ has: page.locator('input:checked') })
  .allInnerTexts().then((t) => t.map((s) => s.trim()));

test('the draft form offers colour inputs and the accepting roles as named checkboxes', async () => {
  await page.goto(url('/risk-methodology'));
  await page.getByRole('link', { name: 'New risk methodology' }).first().click();
  await page.waitForURL(/\/risk-methodology\/new$/);
  assert.equal(await page.locator('h1').innerText(), 'New risk methodology');
  // The default methodology's four levels, each with its colour in a colour input.
  const levels = [['Low', '#15803d'], ['Medium', '#ca8a04'], ['High', '#ea580c'],
    ['Critical', '#b91c1c']];
  for (const [i, [name, hex]] of levels.entries()) {
    assert.equal(await page.locator(`#risk_levels-${i}-name`).inputValue(), name);
    assert.equal(await colour(i).getAttribute('type'), 'color');
    assert.equal(await colour(i).inputValue(), hex);
    // The roles by name, one checkbox each, and nothing to type role ids into.
    const labels = (await roles(i).locator('label.check').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(labels, roleLabels);
    assert.equal(await roles(i).getByRole('checkbox').count(), roleLabels.length);
    assert.equal(await page.locator(
      `[name="risk_levels[${i}][accepted_by]"]:not([type="checkbox"])`).count(), 0);
  }
  assert.deepEqual(await ticked(0), ['ISMS manager', 'Executive']);
  assert.deepEqual(await ticked(1), ['Executive']);
  assert.deepEqual(await ticked(2), ['Executive']);
  assert.deepEqual(await ticked(3), ['Executive']);
  assert.equal(await roles(1).getByRole('checkbox', { name: 'ISMS manager' }).isChecked(), false);

  await page.locator('#title').fill('Risk methodology 2027');
  await page.locator('#change_note').fill('ISMS manager may accept Medium; High darker');
  await colour(2).fill('#c2410c');
  await roles(1).getByRole('checkbox', { name: 'ISMS manager' }).check();
  // High: the administrator instead of the executive.
  await roles(2).getByRole('checkbox', { name: 'Executive' }).uncheck();
  await roles(2).getByRole('checkbox', { name: 'Administrator' }).check();
  assert.equal(await colour(2).inputValue(), '#c2410c');
  const table = page.locator('table[data-rows="risk_levels"]');
  await table.scrollIntoViewIfNeeded();
  await table.screenshot({ path: path.join(outDir, 'methodology-01-levels-form.png') });
  await shot('02-draft-form');
  await page.getByRole('button', { name: 'Create risk methodology' }).click();
  await page.waitForURL(/\/risk-methodology\/\d+\?notice=created$/);
  draftUrl = page.url().replace(/\?.*$/, '');
});

test('the saved draft shows the colours and the roles by name, and keeps them', async () => {
  assert.equal(await page.locator('h1').innerText(), 'Version 1 — Risk methodology 2027');
  assert.equal(await page.getByRole('status').first().innerText(), 'Created.');
  const field = page.locator('.record .field').filter({
    has: page.locator('dt', { hasText: 'Risk levels and acceptance criteria' }) });
  const rows = await field.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.cells, (td) => td.textContent.trim())));
  assert.deepEqual(rows, [
    ['Low', '#15803d', '4', 'Yes', 'ISMS manager, Executive'],
    ['Medium', '#ca8a04', '9', 'Yes', 'ISMS manager, Executive'],
    ['High', '#c2410c', '15', 'No', 'Administrator'],
    ['Critical', '#b91c1c', '—', 'No', 'Executive'],
  ]);
  assert.deepEqual(await field.locator('thead th').allInnerTexts(),
    ['Name', 'Colour', 'Highest score', 'Owner may accept', 'Roles that may accept']);
  // The matrix and legend drawn from the draft use the chosen colour.
  assert.equal(await page.locator('main .heatmap-legend rect[fill="#c2410c"]').count(), 1);
  assert.equal(await page.locator('main .heatmap-legend rect[fill="#ea580c"]').count(), 0);
  const text = await page.locator('main').innerText();
  assert.doesNotMatch(text, /isms_manager|external_auditor|\["|\{"/);
  await field.scrollIntoViewIfNeeded();
  await shot('03-draft-saved');

  // Edited again: the form shows what was saved.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.waitForURL(/\/risk-methodology\/\d+\/edit$/);
  assert.equal(await colour(2).inputValue(), '#c2410c');
  assert.deepEqual(await ticked(1), ['ISMS manager', 'Executive']);
  assert.deepEqual(await ticked(2), ['Administrator']);
  await shot('04-draft-edit');
});

// The draft form sends one multipart part per field, table cell and ticked box: more than the 64
// parts the server once took (it refused the draft's own edit form). It saves again, with every
// role ticked for Critical.
test('the draft saves again from its edit form, every role ticked for a level', async () => {
  await page.goto(`${draftUrl}/edit`);
  for (const name of roleLabels) await roles(3).getByRole('checkbox', { name, exact: true }).check();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Save changes' }).click(),
  ]);
  await page.waitForLoadState();
  assert.equal(res.status(), 303, await page.locator('main').innerText());
  await page.waitForURL(/\?notice=saved$/);
  await page.goto(`${draftUrl}/edit`);
  assert.deepEqual(await ticked(3), roleLabels);
});

test('approved, the draft is the methodology in force', async () => {
  await page.goto(draftUrl);
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(/\/risk-methodology\/\d+\?notice=approved$/);
  assert.equal(await page.getByRole('status').first().innerText(),
    'Approved: this is now the current risk methodology.');
  await page.goto(url('/risk-methodology'));
  assert.equal(await page.getByRole('heading', { name: 'Matrix in force (version 1)' }).count(), 1);
  assert.equal(await page.locator('main .heatmap-legend rect[fill="#c2410c"]').count(), 1);
  await shot('05-in-force');
});

test('the acceptance record shows the accepted risk readably, not as JSON', async () => {
  await page.goto(url('/risks'));
  const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
  const api = async (method, p, data) => {
    const res = await page.request.fetch(url(`/api/v1/${p}`), {
      method, data, headers: { 'X-CSRF-Token': csrf } });
    assert.ok(res.ok(), `${method} ${p}: ${res.status()} ${await res.text()}`);
    return res.json();
  };
  me = await api('GET', 'auth/me');
  const owner = literally(me.display_name || me.username);
  const asset = await api('POST', 'assets', { name: 'Staff laptops', type: 'hardware' });
  const control = await api('POST', 'controls', { name: 'Full-disk encryption' });
  // Medium (3 × 3) before the control, Low (2 × 2) after it: the owner may accept Low.
  const risk = await api('POST', 'risks', {
    title: 'Lost laptop with customer data', owner: me.user_id, assets: [asset.id],
    inherent_likelihood: 3, inherent_impact: 3, controls: [control.id],
    residual_likelihood: 2, residual_impact: 2, treatment: 'modify', status: 'analysed',
    actions: [{ action: 'Encrypt every laptop', owner: me.user_id, status: 'in_progress' }] });

  await page.goto(url(`/risks/${risk.id}`));
  const details = await page.locator('.record').innerText();
  assert.match(details, /Inherent likelihood\s+3 — Possible/);
  assert.match(details, /Inherent level\s+Medium/);
  await page.getByLabel('Decision').selectOption('accepted');
  await page.getByLabel('Comment').fill('Low once the disks are encrypted');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.waitForURL(/\?notice=saved$/);
  await page.locator('section.acceptance').getByRole('link', { name: 'Accepted at level Low' })
    .click();
  await page.waitForURL(/\/risk-acceptances\/\d+$/);

  assert.equal(await page.locator('h1').innerText(), 'Lost laptop with customer data');
  const record = await page.locator('.record').innerText();
  assert.match(record, /Decision\s+Accepted/);
  assert.match(record, /Level accepted\s+Low/);
  assert.match(record, new RegExp(`Decided by\\s+${owner}`));
  assert.match(record, /Comment\s+Low once the disks are encrypted/);

  const snapshot = page.getByRole('region', { name: 'The risk as decided on' });
  const text = await snapshot.innerText();
  assert.match(text, /Revision 1 of the risk, rated under methodology version 1\./);
  assert.match(text, /Title\s+Lost laptop with customer data/);
  assert.match(text, new RegExp(`Owner\\s+${owner}`));
  assert.match(text, /Inherent level\s+Medium/);
  assert.match(text, /Applied controls\s+Full-disk encryption/);
  assert.match(text, /Residual level\s+Low/);
  assert.match(text, /Treatment option\s+Modify \(reduce\)/);
  assert.match(text, /Status\s+Analysed/);
  assert.match(await snapshot.locator('tr', { hasText: 'Encrypt every laptop' }).innerText(),
    new RegExp(`Encrypt every laptop\\s+${owner}\\s+—\\s+In progress`));
  assert.equal(await snapshot.getByRole('link', { name: 'Full-disk encryption' })
    .getAttribute('href'), `/controls/${control.id}`);
  // No JSON: not in what is read, not in the markup.
  assert.ok(!text.includes('{"'), text);
  const html = await snapshot.innerHTML();
  assert.ok(!html.includes('{"') && !html.includes('{&quot;'), html);
  assert.ok(!(await page.locator('main').innerText()).includes('{"'));
  await snapshot.scrollIntoViewIfNeeded();
  await shot('06-acceptance-snapshot');
});

// The snapshot reads like the risk's page: ratings in the words of the scales it was rated on
// (stored with it), assets by title.
test('the snapshot labels the ratings and names the assets', async () => {
  const text = await page.getByRole('region', { name: 'The risk as decided on' }).innerText();
  assert.match(text, /Inherent likelihood\s+3 — Possible/);
  assert.match(text, /Inherent impact\s+3 — Moderate/);
  assert.match(text, /Residual likelihood\s+2 — Unlikely/);
  assert.match(text, /Residual impact\s+2 — Minor/);
  assert.match(text, /Assets\s+Staff laptops/);
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(problems, []);
});
