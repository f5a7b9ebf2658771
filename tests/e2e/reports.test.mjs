// Reports (issue 16) in a real browser: the /reports page under Readiness in the navigation,
// a PDF and a Word file downloaded from it (read back by pdftotext and LibreOffice), the print
// view with its document-control block, the audit trail excerpt over a period as CSV, and a
// problem shown on the page; the audit pack downloaded with its button, its checksums and audit
// trail excerpt verified by sha256sum and its own script, its index opened. Screenshots in
// E2E_OUT (reports-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('reports');
const shot = (name) => suite.shot(name);
const today = new Date().toISOString().slice(0, 10);

// Clicks `button` in the report card `id` and returns the downloaded file's bytes and name.
async function download(page, id, button) {
  const card = page.locator(`#report-${id}`);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return { bytes: readFileSync(await file.path()), name: file.suggestedFilename() };
}

test('the reports page lists every report with its formats', async () => {
  const { page, rampart } = suite;
  // A risk to report on.
  await page.goto(`${rampart.baseUrl}/risks/new`);
  await page.getByLabel('Title').fill('Ransomware on the file servers');
  await page.getByRole('button', { name: /Create risk/ }).click();
  await page.waitForURL(/\/risks\/\d+/);

  await page.goto(`${rampart.baseUrl}/`);
  await page.getByRole('navigation', { name: 'ISMS' }).getByRole('link', { name: 'Reports' }).click();
  await page.waitForURL(/\/reports$/);
  assert.equal(await page.locator('h1').innerText(), 'Reports');
  const titles = await page.locator('.report-title').allInnerTexts();
  assert.equal(titles.length, 14);
  assert.equal(titles[0], 'Audit pack');
  assert.match(titles[4], /Statement of Applicability/);
  // Tables come as Excel and CSV too; the scope does not.
  assert.equal(await page.locator('#report-isms-scope').getByRole('button', { name: 'CSV' }).count(), 0);
  assert.equal(await page.locator('#report-risk-register').getByRole('button', { name: 'CSV' }).count(), 1);
  await shot('01-page');
});

test('downloads the risk register as PDF and Word, readable by their readers', async () => {
  const { page } = suite;
  await page.locator('#report-risk-register-classification').selectOption('Confidential');
  const pdf = await download(page, 'risk-register', 'PDF');
  assert.equal(pdf.name, 'risk-register.pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-reports-'));
  try {
    const pdfPath = path.join(dir, 'register.pdf');
    writeFileSync(pdfPath, pdf.bytes);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-']).toString();
    assert.match(text, /Ransomware on the file servers/);
    assert.match(text, /Confidential/);
    assert.match(text, /Page 1 of 1/);

    const docx = await download(page, 'risk-register', 'Word');
    assert.equal(docx.name, 'risk-register.docx');
    const docxPath = path.join(dir, 'register.docx');
    writeFileSync(docxPath, docx.bytes);
    execFileSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless',
      '--convert-to', 'txt:Text (encoded):UTF8', '--outdir', dir, docxPath]);
    const words = readFileSync(path.join(dir, 'register.txt'), 'utf8');
    assert.match(words, /Ransomware on the file servers/);
    assert.match(words, /Content SHA-256/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the print view of the Statement of Applicability', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/reports`);
  await page.locator('#report-statement-of-applicability').getByRole('button', { name: 'Print view' }).click();
  await page.waitForURL(/\/reports\/statement-of-applicability\?/);
  assert.equal(await page.locator('h1').innerText(), 'Statement of Applicability');
  const control = page.getByRole('region', { name: 'Document control' });
  assert.match(await control.innerText(), /Not yet approved/);
  assert.match(await control.innerText(), /Content SHA-256\s+[0-9a-f]{64}/);
  assert.equal(await page.locator('.report-table tbody tr').count(), 93);
  await shot('02-print-view');
});

test('the audit trail excerpt of a period, and a problem shown on the page', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/reports`);
  await page.locator('#report-audit-trail-from').fill(today);
  const csv = await download(page, 'audit-trail', 'CSV');
  const lines = csv.bytes.toString().trim().split('\r\n');
  assert.equal(lines[0], 'Event,At,Who,Action,Record type,Id,Record,Changed,Address,Hash');
  assert.ok(lines.some((l) => l.includes('Ransomware on the file servers')));

  await page.goto(`${rampart.baseUrl}/reports/audit-trail?format=pdf&from=${today}&to=2000-01-01`);
  assert.match(await page.locator('.alert').innerText(), /the last day comes before the first/);
  await shot('03-problem');
});

test('the audit pack: downloaded, its checksums and audit trail verified, its index opened', async () => {
  const { page, rampart } = suite;
  await page.goto(`${rampart.baseUrl}/reports`);
  const card = page.getByRole('region', { name: 'Audit pack' });
  assert.equal(await card.getByLabel('As of').inputValue(), today);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: 'Download the audit pack' }).click(),
  ]);
  assert.equal(file.suggestedFilename(), `audit-pack-${today}.zip`);
  const dir = mkdtempSync(path.join(tmpdir(), 'rampart-pack-'));
  try {
    const zip = path.join(dir, 'pack.zip');
    writeFileSync(zip, readFileSync(await file.path()));
    const out = path.join(dir, 'pack');
    execFileSync('unzip', ['-q', zip, '-d', out]);
    const sums = execFileSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: out }).toString();
    assert.match(sums, /risk-register\/risk-register\.pdf: OK/);
    const trail = readdirSync(out).find((d) => d.endsWith('-audit-trail-excerpt'));
    const verified = execFileSync('sh', [path.join(trail, 'verify.sh')], { cwd: out }).toString();
    assert.match(verified, /every hash matches its event/);
    // serve signed the trail's head at start with the key init made: checked by openssl.
    assert.match(verified, /[1-9][0-9]* signed checkpoint\(s\) verify with signing-key\.pub\.pem/);
    await page.goto(`file://${out}/index.html`);
    assert.match(await page.locator('h1').innerText(), /^Audit pack: /);
    await page.getByRole('link', { name: /risk-register\.pdf$/ }).waitFor();
    await shot('04-audit-pack-index');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(suite.problems, []);
});
