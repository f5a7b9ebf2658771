// What a user trial of the web UI found (issue 12 B), in a real browser: lists that page both
// ways and say which records they show, an audit trail that reaches every event by filter and
// page, a refused evidence upload that keeps what was typed, messages that say what happened,
// an overview that shows the trail only to those who may read it, and a history that names
// records by title and says what changed in a table row. Screenshots in E2E_OUT.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startRampart, launchBrowser, openPage, firstSignIn, outDir } from './harness.mjs';

let rampart;
let browser;
let page;
let problems;
const password = 'a long and private passphrase';

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
  await firstSignIn(page, rampart, password);
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

const shot = (name) =>
  page.screenshot({ path: path.join(outDir, `manners-${name}.png`), fullPage: true });

// Creates context issues through the API with the session's CSRF token.
async function createIssues(n) {
  const csrf = await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.value);
  assert.ok(csrf, 'the page carries its CSRF token');
  for (let i = 0; i < n; i += 1) {
    const res = await page.request.post(`${rampart.baseUrl}/api/v1/context-issues`, {
      headers: { 'X-CSRF-Token': csrf, Origin: rampart.baseUrl },
      data: { title: `Issue ${String(i).padStart(3, '0')}`, kind: i % 2 ? 'internal' : 'external' },
    });
    assert.equal(res.status(), 201, await res.text());
  }
}

test('a list pages forward and back and says which records it shows', async () => {
  await page.goto(`${rampart.baseUrl}/`);
  await createIssues(60);
  await page.goto(`${rampart.baseUrl}/context-issues?sort=title`);
  assert.equal(await page.locator('.table-meta .count').innerText(), '1–50 of 60 context issues');
  assert.equal(await page.getByRole('link', { name: '← Previous page' }).count(), 0);
  await page.getByRole('link', { name: 'Next page →' }).click();
  await page.waitForURL(/page=2/);
  assert.equal(await page.locator('.table-meta .count').innerText(), '51–60 of 60 context issues');
  await shot('01-list-page-2');
  await page.getByRole('link', { name: '← Previous page' }).click();
  await page.waitForURL(/\/context-issues\?sort=title$/);
  assert.equal(await page.locator('.table-meta .count').innerText(), '1–50 of 60 context issues');
});

test('the audit trail filters by record type and action, pages, and names records', async () => {
  await page.goto(`${rampart.baseUrl}/audit`);
  await page.getByLabel('Record type').selectOption('context_issue');
  await page.getByLabel('Action').fill('create');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/record_type=context_issue/);
  const rows = page.locator('table.data-table tbody tr');
  assert.equal(await rows.count(), 60);
  assert.match(await rows.first().innerText(), /created/);
  assert.equal(await rows.first().getByRole('link').innerText(), 'Issue 059');
  const exportHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  assert.equal(exportHref, '/api/v1/audit/export?record_type=context_issue&action=create');
  await shot('02-audit-filtered');
  // Older and newer pages of the whole trail.
  await page.goto(`${rampart.baseUrl}/audit`);
  await page.getByRole('link', { name: 'Older events →' }).click();
  await page.waitForURL(/before=/);
  await page.getByRole('link', { name: '← Newer events' }).click();
  await page.waitForURL(/after=/);
  assert.ok((await rows.count()) > 0);
});

test('a refused evidence upload keeps the title and dates on the record page', async () => {
  await page.goto(`${rampart.baseUrl}/context-issues?sort=title`);
  await page.getByRole('link', { name: 'Issue 000' }).click();
  await page.waitForURL(/\/context-issues\/\d+$/);
  await page.locator('#evidence-title-input').fill('Penetration test report');
  await page.locator('#evidence-effective').fill('2026-11-02');
  await page.locator('#evidence-expires').fill('2027-11-01');
  // A PNG named .pdf: the content does not match the extension.
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000d49444154789c6300010000050001' +
      '0d0a2db40000000049454e44ae426082',
    'hex');
  await page.locator('#evidence-file').setInputFiles({
    name: 'report.pdf', mimeType: 'application/pdf', buffer: png });
  await page.getByRole('button', { name: 'Attach file' }).click();
  await page.waitForLoadState();
  assert.match(await page.locator('#error-summary').innerText(), /Choose the file again/);
  assert.equal(await page.locator('#evidence-title-input').inputValue(), 'Penetration test report');
  assert.equal(await page.locator('#evidence-expires').inputValue(), '2027-11-01');
  await shot('03-evidence-refused');
});

// A new organisation starts with the catalogue (init adds it), so loading it again adds nothing
// and says so; the API suite sees the count of a first load (WebPages tests).
test('loading the shipped catalogue says what it did', async () => {
  await page.goto(`${rampart.baseUrl}/threats`);
  await page.getByRole('button', { name: 'Add the shipped catalogue' }).click();
  await page.waitForURL(/notice=catalogue-0$/);
  assert.equal(await page.getByRole('status').first().innerText(),
    'The shipped catalogue is already here: nothing was added.');
  await shot('04-catalogue-added');
});

test('a viewer sees no Recent changes card on the overview', async () => {
  const out = rampart.cli('user', 'add', '--username', 'vera', '--role', 'viewer');
  const otp = /One-time password[^\n]*\n(\S+)/.exec(out)?.[1];
  assert.ok(otp, out);
  const { page: vpage } = await openPage(browser);
  await vpage.goto(`${rampart.baseUrl}/`);
  await vpage.getByLabel('User name').fill('vera');
  await vpage.getByLabel('Password').fill(otp);
  await vpage.getByRole('button', { name: 'Sign in' }).click();
  await vpage.waitForURL(/\/account\/password$/);
  await vpage.getByLabel('Current password').fill(otp);
  await vpage.getByLabel('New password').fill('another private passphrase');
  await vpage.getByRole('button', { name: 'Change password' }).click();
  await vpage.waitForURL(/\/\?notice=password$/);
  assert.equal(await vpage.getByRole('heading', { name: 'Recent changes' }).count(), 0);
  await vpage.screenshot({ path: path.join(outDir, 'manners-05-viewer-overview.png'), fullPage: true });
  await page.goto(`${rampart.baseUrl}/`);
  assert.equal(await page.getByRole('heading', { name: 'Recent changes' }).count(), 1);
});

test('a history names records by title and says what changed in a treatment action', async () => {
  await page.goto(`${rampart.baseUrl}/risks`);
  const csrf = await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.value);
  const headers = { 'X-CSRF-Token': csrf, Origin: rampart.baseUrl };
  const api = async (method, url, data, extra = {}) => {
    const res = await page.request.fetch(`${rampart.baseUrl}/api/v1/${url}`, {
      method, headers: { ...headers, ...extra }, data });
    assert.ok(res.ok(), await res.text());
    return res.json();
  };
  const mail = await api('POST', 'assets', { name: 'Mail server', type: 'service' });
  const laptops = await api('POST', 'assets', { name: 'Staff laptops', type: 'hardware' });
  const risk = await api('POST', 'risks', {
    title: 'Ransomware encrypts the mail server', assets: [mail.id],
    actions: [{ action: 'Deploy EDR', status: 'open' }, { action: 'Buy a safe', status: 'open' }] });
  await api('PATCH', `risks/${risk.id}`, {
    assets: [mail.id, laptops.id],
    actions: [{ action: 'Deploy EDR', owner: risk.created_by, due: '2026-05-01', status: 'in_progress' },
      { action: 'Patch servers', status: 'open' }] }, { 'If-Match': '"1"' });
  await page.goto(`${rampart.baseUrl}/risks/${risk.id}`);
  const history = page.locator('section.history');
  const changed = history.locator('.timeline-item').first();
  assert.equal(await changed.locator('td.diff-to').getByRole('link', { name: 'Staff laptops' })
    .getAttribute('href'), `/assets/${laptops.id}`);
  assert.match(await changed.locator('li.row-changed').innerText(),
    /^action 'Deploy EDR': owner — → .+, due — → 2026-05-01, status Open → In progress$/);
  assert.equal(await changed.locator('li.row-removed').innerText(), "removed action 'Buy a safe'");
  assert.equal(await changed.locator('li.row-added').innerText(),
    "added action 'Patch servers' (status Open)");
  assert.equal(await history.getByText(/entries/).count(), 0);
  await history.scrollIntoViewIfNeeded();
  await shot('06-history-names');
  // The register's list offers both exports; the XLSX one is a spreadsheet.
  await page.goto(`${rampart.baseUrl}/risks`);
  const xlsx = await page.getByRole('link', { name: 'Export XLSX' }).getAttribute('href');
  assert.match(xlsx, /^\/api\/v1\/risks\/export\?.*format=xlsx/);
  const res = await page.request.get(`${rampart.baseUrl}${xlsx}`);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'],
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
});

test('no console errors, CSP violations or failed requests', () => {
  assert.deepEqual(problems, []);
});
