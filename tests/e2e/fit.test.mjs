// Fit (issue 12 B11), in a real browser: at 1366 × 768 the risks list, the treatment plan and the
// Statement of Applicability, seeded with long titles, actions and justifications, scroll no page
// sideways, clip no column header and let no cell's content run into the next; at 390 px wide
// the heat maps fit the screen. Screenshots in E2E_OUT (fit-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startRampart, launchBrowser, openPage, firstSignIn, outDir } from './harness.mjs';

let rampart;
let browser;
let page;
let problems;
const password = 'a long and private passphrase';

const longTitle = (i) =>
  `Ransomware spread through an unpatched remote desktop gateway encrypts the finance ` +
  `department's shared drives and their nightly backups (scenario ${i})`;

before(async () => {
  rampart = await startRampart();
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
  await firstSignIn(page, rampart, password);
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${rampart.baseUrl}/risks`);
  const csrf = await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.value);
  assert.ok(csrf, 'the page carries its CSRF token');
  const api = async (method, url, data) => {
    const res = await page.request.fetch(`${rampart.baseUrl}/api/v1/${url}`, {
      method, headers: { 'X-CSRF-Token': csrf, Origin: rampart.baseUrl }, data });
    assert.ok(res.ok(), `${method} ${url}: ${await res.text()}`);
    return res.json();
  };
  const asset = await api('POST', 'assets', {
    name: 'Finance department shared drives and the nightly backup appliance', type: 'information' });
  const control = await api('POST', 'controls', {
    name: 'Endpoint detection and response on every server and workstation of the finance department',
    status: 'in_progress', annex_controls: ['5.1', '5.2', '8.7', '8.8'] });
  for (let i = 1; i <= 6; i += 1) {
    await api('POST', 'risks', {
      title: longTitle(i), owner: 1, assets: [asset.id], controls: [control.id],
      inherent_likelihood: 4, inherent_impact: 5, residual_likelihood: 2, residual_impact: 3,
      treatment: 'modify', status: 'treatment_planned',
      actions: [
        { action: 'Deploy endpoint detection and response to every finance workstation and server, ' +
            'with tamper protection and alerting into the security operations centre',
          owner: 1, due: '2026-01-15', status: 'in_progress' },
        { action: 'Move the nightly backups onto immutable, offline storage with quarterly restore tests',
          due: '2025-06-30', status: 'open' },
      ] });
  }
  const soa = await api('GET', 'soa');
  const first = soa.data.slice(0, 12).map((l) => ({ control_id: l.control_id, version: l.version ?? 0 }));
  await api('POST', 'soa/decisions', {
    controls: first, applicable: true,
    reasons: ['risk_treatment', 'legal_regulatory', 'contractual', 'business_best_practice'],
    justification: 'Required by the risk assessment of the finance department, by the payment card ' +
      'contracts with our acquiring bank and by the data protection regulation that applies to payroll' });
});

after(async () => {
  await browser?.close();
  await rampart?.stop();
});

// The whole page, or only the first of `part` on a long page (the SoA's first theme).
const shot = (name, part) => (part ? page.locator(part).first() : page)
  .screenshot({ path: path.join(outDir, `fit-${name}.png`), ...(part ? {} : { fullPage: true }) });

// What does not fit on the page shown: the page's sideways scroll, headers whose text is cut,
// and cells whose content is wider than the cell (and so runs into the next column).
async function misfits() {
  return page.evaluate(() => {
    const out = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      out.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    document.querySelectorAll('th, td').forEach((cell) => {
      if (cell.scrollWidth > cell.clientWidth) {
        out.push(`${cell.tagName} "${cell.innerText.slice(0, 40)}": ` +
          `${cell.scrollWidth} > ${cell.clientWidth}`);
      }
    });
    document.querySelectorAll('.table-scroll').forEach((box) => {
      if (box.scrollWidth > box.clientWidth) {
        out.push(`a table scrolls sideways: ${box.scrollWidth} > ${box.clientWidth}`);
      }
    });
    return out;
  });
}

for (const [name, url, header, part] of [
  ['01-risks', '/risks', 'Residual level'],
  ['02-treatment-plan', '/risks/treatment-plan', 'Due'],
  ['03-soa', '/soa', 'Implementation', 'section.soa-theme'],
]) {
  test(`${url} fits 1366 px without sideways scroll or clipped headers`, async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${rampart.baseUrl}${url}`);
    assert.ok(await page.locator('table.data-table tbody tr').count() >= 6);
    assert.ok(await page.locator('th').filter({ hasText: header }).count() >= 1, header);
    await shot(name, part);
    assert.deepEqual(await misfits(), []);
  });
}

test('the heat maps fit a 390 px wide screen', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${rampart.baseUrl}/risks/heatmap`);
  const maps = page.locator('svg.heatmap');
  assert.equal(await maps.count(), 2);
  for (const box of await maps.evaluateAll((els) =>
    els.map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; }))) {
    assert.ok(box.left >= 0 && box.right <= 390, JSON.stringify(box));
  }
  const sideways = await page.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(sideways, 0);
  await shot('04-heatmap-390');
  assert.deepEqual(problems, []);
});
