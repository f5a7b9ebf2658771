// Spreadsheet import (issue 16) in a real browser, as the administrator: the context issues'
// Import button, a CSV whose header names the fields by their labels uploaded from a temporary
// file, the proposed mapping with one column changed by hand, a dry run listing the row with a
// value that is not a choice (and no Apply), then the fixed file dry-run and applied, landing on
// the list with what was imported. Screenshots in E2E_OUT (import-*.png).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('import');
const shot = (name) => suite.shot(name);
const dir = mkdtempSync(path.join(tmpdir(), 'rampart-import-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// `text` written as `name` in the temporary folder; its path.
function file(name, text) {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

const header = 'Title,Internal or external,SWOT quadrant,Notes\n';
const bad = file(
  'issues.csv',
  `${header}Cloud provider outage,External,Threat,Our hosting depends on one region\n` +
    'New data protection law,Outside,Opportunity,Fines up to 4% of turnover\n',
);
const fixed = file(
  'issues-fixed.csv',
  `${header}Cloud provider outage,External,Threat,Our hosting depends on one region\n` +
    'New data protection law,External,Opportunity,Fines up to 4% of turnover\n',
);

// From the context issues' list to the mapping page of `csv`.
async function upload(page, baseUrl, csv) {
  await page.goto(`${baseUrl}/context-issues`);
  await page.locator('.page-actions').getByRole('link', { name: 'Import', exact: true }).click();
  await page.waitForURL(/\/context-issues\/import$/);
  assert.equal(await page.locator('h1').innerText(), 'Import context issues');
  if (csv === bad) await shot('00-upload');
  await page.getByLabel('Spreadsheet').setInputFiles(csv);
  await page.getByRole('button', { name: 'Upload and map the columns' }).click();
  await page.waitForURL(/\/context-issues\/import\/\d+$/);
}

test('a row with a value that is not a choice is listed by the dry run, and nothing applies', async () => {
  const { page, rampart, problems } = suite;
  await upload(page, rampart.baseUrl, bad);
  // The columns named by the fields' labels are proposed; the notes are not a field's name.
  const kind = page.getByLabel('Column "Internal or external" imported as');
  assert.equal(await kind.inputValue(), 'kind');
  assert.equal(await page.getByLabel('Column "SWOT quadrant" imported as').inputValue(), 'swot');
  const notes = page.getByLabel('Column "Notes" imported as');
  assert.equal(await notes.inputValue(), '');
  assert.match(await page.locator('#col-3-help').innerText(), /no field of this name or label/);
  await notes.selectOption('description');
  await shot('01-mapping');

  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.waitForLoadState('load');
  const report = page.locator('#import-report');
  assert.equal(await report.locator('#import-report-title').innerText(), 'Dry run');
  assert.match(await report.locator('.import-counts').innerText(), /Created\s+1[\s\S]*Errors\s+1/);
  const first = report.locator('tbody tr').first();
  assert.match(await first.innerText(), /^3\s+Error/);
  assert.equal(
    await first.locator('.import-errors li').innerText(),
    'Column "Internal or external": Internal or external: "Outside" is not one of Internal, External',
  );
  assert.match(await report.innerText(), /Nothing will be imported until they are fixed/);
  assert.equal(await page.getByRole('button', { name: 'Apply' }).count(), 0);
  // The mapping stays as chosen.
  assert.equal(await page.getByLabel('Column "Notes" imported as').inputValue(), 'description');
  await shot('02-dry-run-errors');
  assert.deepEqual(problems, []);
});

test('the fixed file is dry-run and applied, and the list says what was imported', async () => {
  const { page, rampart, problems } = suite;
  await upload(page, rampart.baseUrl, fixed);
  await page.getByLabel('Column "Notes" imported as').selectOption('description');
  await page.getByRole('button', { name: 'Dry run' }).click();
  await page.waitForLoadState('load');
  const report = page.locator('#import-report');
  assert.match(await report.innerText(), /No row has errors\. Apply creates 2, updates 0/);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/\/context-issues\?notice=imported-2-0-0$/);
  assert.equal(
    await page.locator('.notice').innerText(),
    'Imported: 2 created, 0 updated, 0 unchanged.',
  );
  const rows = page.locator('table.data-table tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await page.locator('table.data-table').innerText(), /Cloud provider outage/);
  assert.match(await page.locator('table.data-table').innerText(), /New data protection law/);
  await shot('03-applied');
  // The notes became the description.
  await page.getByRole('link', { name: 'New data protection law' }).click();
  await page.waitForURL(/\/context-issues\/\d+$/);
  assert.match(await page.locator('.record').innerText(), /Fines up to 4% of turnover/);
  assert.deepEqual(problems, []);
});
