// Risk assessment and treatment in a real browser: an applied control linked to Annex A 8.7, a
// risk assessed through the form (ratings chosen as the methodology's labelled levels, the level
// shown live as they are chosen, computed again by the methodology on save), accepted by its owner
// from the risk's page (then stale after a change), the heat map linking to the filtered list,
// and the Statement of Applicability showing the control's derived status and the risk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startRampart, launchBrowser, openPage, firstSignIn, outDir } from './harness.mjs';

let rampart;
let browser;
let page;
let problems;
let riskUrl;

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
  await firstSignIn(page, rampart, 'a long and private passphrase', '/risks');
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const shot = (name) => page.screenshot({ path: path.join(outDir, `${name}.png`), fullPage: true });

test('the SoA starts with 8.7 not implemented and the shipped catalogue is loaded', async () => {
  await page.goto(`${rampart.baseUrl}/soa`);
  const row = page.locator('#c-8\\.7');
  assert.match(await row.innerText(), /Not implemented/);
  await page.goto(`${rampart.baseUrl}/threats`);
  assert.match(await page.locator('main').innerText(), /Ransomware/);
});

test('records an applied control implementing Annex A 8.7', async () => {
  await page.goto(`${rampart.baseUrl}/controls/new`);
  await page.getByLabel('Name').fill('Endpoint protection on every laptop');
  await page.getByLabel('Status').selectOption('implemented');
  const annex = page.getByRole('combobox', { name: 'Annex A controls' });
  await annex.fill('8.7');
  await page.getByRole('option', { name: '8.7 Protection against malware' }).click();
  await page.getByRole('button', { name: 'Create applied control' }).click();
  await page.waitForURL(/\/controls\/\d+\?notice=created$/);
  assert.match(await page.locator('main').innerText(), /8\.7 Protection against malware/);
});

test('assesses a risk through the form: ratings in the methodology\'s words, the level live', async () => {
  await page.goto(`${rampart.baseUrl}/risks/new`);
  await page.locator('#title').fill('Malware on laptops');
  await page.locator('#owner').selectOption({ index: 1 });
  // The ratings are the methodology's levels, labelled; the level shows as soon as both are
  // chosen, before saving (static/app.js from the matrix the form carries).
  const preview = page.locator('#inherent_level-preview');
  assert.equal(await preview.innerText(), 'choose likelihood and impact');
  await page.locator('#inherent_likelihood').selectOption({ label: '4 — Likely' });
  assert.equal(await preview.innerText(), 'choose likelihood and impact');
  await page.locator('#inherent_impact').selectOption({ label: '3 — Moderate' });
  assert.equal(await preview.innerText(), 'High');
  await page.locator('#inherent_impact').selectOption({ label: '5 — Severe' });
  assert.equal(await preview.innerText(), 'Critical');
  await page.locator('#inherent_impact').selectOption({ label: '3 — Moderate' });
  assert.equal(await preview.innerText(), 'High');
  const controls = page.getByRole('combobox', { name: 'Applied controls' });
  await controls.fill('Endpoint');
  await page.getByRole('option', { name: 'Endpoint protection on every laptop' }).click();
  await page.locator('#residual_likelihood').selectOption('2');
  await page.locator('#residual_impact').selectOption('2');
  assert.equal(await page.locator('#residual_level-preview').innerText(), 'Low');
  await page.locator('.level-preview').first().scrollIntoViewIfNeeded();
  await shot('risk-00-level-live');
  await page.locator('#treatment').selectOption('retain');
  await page.locator('#status').selectOption('analysed');
  await page.getByRole('button', { name: 'Create risk' }).click();
  await page.waitForURL(/\/risks\/\d+\?notice=created$/);
  riskUrl = page.url().replace(/\?.*$/, '');
  const details = await page.locator('.record').innerText();
  assert.match(details, /Inherent level\s+High/);
  assert.match(details, /Residual level\s+Low/);
  assert.match(details, /Endpoint protection on every laptop/);
  assert.match(details, /Inherent likelihood\s+4 — Likely/);
  assert.match(details, /Inherent impact\s+3 — Moderate/);
  await shot('risk-01-assessed');
});

test('the owner accepts the residual risk; a later change makes the acceptance stale', async () => {
  await page.goto(riskUrl);
  await page.getByLabel('Decision').selectOption('accepted');
  await page.getByLabel('Comment').fill('Low after endpoint protection');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.waitForURL(/\?notice=saved$/);
  const panel = page.locator('section.acceptance');
  assert.match(await panel.innerText(), /accepted as it stands/);
  assert.match(await panel.innerText(), /Accepted at level Low/);
  assert.match(await page.locator('.record').innerText(), /Status\s+Accepted/);
  await shot('risk-02-accepted');

  await page.getByRole('link', { name: 'Edit' }).first().click();
  await page.locator('#residual_impact').selectOption('3');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(/\?notice=saved$/);
  assert.match(await page.locator('section.acceptance').innerText(), /stale/);
  assert.match(await page.locator('.record').innerText(), /Status\s+Analysed/);
});

test('the heat map cell links to the risks it counts', async () => {
  await page.goto(`${rampart.baseUrl}/risks/heatmap`);
  await shot('risk-03-heatmap');
  const cell = page.locator('a.heatmap-cell[href*="inherent_likelihood=4&inherent_impact=3"]');
  assert.match(await cell.getAttribute('aria-label'), /1 risk, level High/);
  await cell.click();
  await page.waitForURL(/\/risks\?inherent_likelihood=4&inherent_impact=3$/);
  assert.match(await page.locator('table.data-table').innerText(), /Malware on laptops/);
});

test('the SoA shows 8.7 implemented through the control, with the risk', async () => {
  await page.goto(`${rampart.baseUrl}/soa`);
  const row = page.locator('#c-8\\.7');
  const text = await row.innerText();
  assert.match(text, /Implemented/);
  assert.match(text, /Endpoint protection on every laptop \(implemented\)/);
  assert.match(text, /Malware on laptops/);
  // Long names wrap inside their column instead of running over the next one.
  for (const column of [4, 5]) {
    const cell = await row.locator('td').nth(column).boundingBox();
    const link = await row.locator('td').nth(column).locator('a').first().boundingBox();
    assert.ok(link.x + link.width <= cell.x + cell.width + 1, `column ${column} overflows`);
  }
  await shot('risk-04-soa');
  await row.screenshot({ path: path.join(outDir, 'risk-05-soa-line.png') });
  assert.deepEqual(problems, []);
});

test('decides the ticked People controls at once, with one justification', async () => {
  await page.goto(`${rampart.baseUrl}/soa?theme=People`);
  await page.getByText('Decide several controls at once').click();
  await page.getByRole('checkbox', { name: /^Select 6\.1 / }).check();
  await page.getByRole('checkbox', { name: /^Select 6\.2 / }).check();
  const form = page.locator('#soa-decide');
  await form.getByLabel('Applicable: the control is included').check();
  await form.getByLabel('Contractual', { exact: true }).check();
  await form.getByLabel('Justification').fill('Staff contracts require screening and terms.');
  await shot('risk-06-soa-decide-several');
  await form.getByRole('button', { name: 'Decide' }).click();
  await page.waitForURL(/\/soa\?theme=People&notice=decided&count=2$/);
  assert.match(await page.locator('[role=status]').innerText(), /2 controls were decided\./);
  const row = await page.locator('#c-6\\.2').innerText();
  assert.match(row, /Applicable/);
  assert.match(row, /Staff contracts require screening and terms\./);
});

test('goes on control by control through the undecided ones, attributes beside the form', async () => {
  await page.goto(`${rampart.baseUrl}/soa?theme=People&applicable=undecided`);
  await page.locator('#c-6\\.3 a[href*="/edit"]').click();
  await page.waitForURL(/\/soa\/6\.3\/edit\?theme=People&applicable=undecided$/);
  assert.match(await page.locator('nav.soa-steps').innerText(), /Control 1 of 6 shown/);
  const attributes = page.locator('aside.soa-attributes');
  assert.match(await attributes.innerText(), /Control type\s+Preventive/);
  await page.getByLabel('Applicable: the control is included').check();
  await page.getByLabel('Contractual', { exact: true }).check();
  await shot('risk-07-soa-edit');
  await page.getByRole('button', { name: 'Save and next' }).click();
  await page.waitForURL(/\/soa\/6\.4\/edit\?theme=People&applicable=undecided&notice=saved&saved=6\.3$/);
  assert.match(await page.locator('[role=status]').innerText(), /6\.3 .* was saved\./);
  // 6.3 is decided now: the position counts it while it is shown, then the undecided ones.
  assert.match(await page.locator('nav.soa-steps').innerText(), /Control 1 of 5 shown/);
  assert.deepEqual(problems, []);
});
