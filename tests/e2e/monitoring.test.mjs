// Clause 9.1 in a real browser: a metric with a target and a warning threshold defined through
// the form, measurements added from its page (one dated in the future refused, naming the
// field), its status and its trend drawn as an SVG chart with the target line, the data also as
// a table, and the list flagging what needs attention. Screenshots in E2E_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedInSuite } from './harness.mjs';

const suite = signedInSuite('monitoring');
const shot = (name) => suite.shot(name);
const url = (p) => `${suite.rampart.baseUrl}${p}`;
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
let metricPath = '';

async function measure(value, date) {
  const { page } = suite;
  await page.goto(url(metricPath));
  await page.getByRole('link', { name: 'Add a measurement' }).click();
  await page.waitForURL(/\/measurements\/new\?/);
  await page.getByLabel('Value').fill(value);
  await page.getByLabel('Measured on').fill(date);
  await page.getByRole('button', { name: 'Create measurement' }).click();
  await page.waitForLoadState('load');
}

test('a metric is defined with its method, frequency and target', async () => {
  const { page } = suite;
  await page.goto(url('/metrics/new'));
  await page.locator('#title').fill('Critical patches installed within 14 days');
  await page.getByLabel('Method of measurement').fill(
    'Patch report of the endpoint manager on the first working day: patched / eligible.');
  await page.getByLabel('Measured every').fill('1');
  await page.getByLabel('Frequency unit').selectOption('months');
  await page.getByLabel('Who measures').selectOption({ index: 1 });
  await page.getByLabel('Who evaluates').selectOption({ index: 1 });
  await page.locator('#unit').fill('%');
  await page.getByLabel('Direction').selectOption('higher');
  await page.getByLabel('Target value').fill('95');
  await page.getByLabel('Warning threshold').fill('96');
  await page.getByRole('button', { name: 'Create metric' }).click();
  await page.locator('#warning_threshold-error').waitFor();
  assert.match(await page.locator('#warning_threshold-error').innerText(), /below the target/);
  await page.getByLabel('Warning threshold').fill('90');
  await shot('01-form');
  await page.getByRole('button', { name: 'Create metric' }).click();
  await page.waitForURL(/\/metrics\/\d+\?notice=created$/);
  metricPath = new URL(page.url()).pathname;
  const status = page.locator('section', { has: page.getByRole('heading', { name: 'Status' }) });
  assert.match(await status.innerText(), /No data/);
  assert.match(await status.innerText(), /at least 95 %; warning down to 90 %/);
  assert.match(await page.locator('main').innerText(), /Nothing is measured yet/);
});

test('measurements are added from its page; one dated in the future is refused', async () => {
  const { page } = suite;
  await measure('97', day(2));
  await page.locator('#measured_on-error').waitFor();
  assert.equal(await page.locator('#measured_on-error').innerText(),
    'a measurement cannot be dated in the future');
  await shot('02-future-refused');
  await measure('86', day(-70));
  await page.waitForURL(/\/measurements\/\d+\?notice=created$/);
  await measure('92.5', day(-40));
  await measure('97', day(-8));
});

test('its page shows the status and draws the trend with the target line', async () => {
  const { page } = suite;
  await page.goto(url(metricPath));
  const status = page.locator('section', { has: page.getByRole('heading', { name: 'Status' }) });
  assert.match(await status.innerText(), /On target/);
  assert.match(await status.innerText(), new RegExp(`97 % on ${day(-8)}`));
  const chart = page.getByRole('img', { name: /Trend of Critical patches/ });
  assert.ok(await chart.isVisible());
  assert.equal(await page.locator('svg polyline.chart-line').count(), 1);
  assert.equal(await page.locator('svg circle.chart-point').count(), 3);
  assert.equal(await page.locator('svg line.chart-target').count(), 1);
  assert.equal(await page.locator('svg line.chart-warning').count(), 1);
  const box = await chart.boundingBox();
  assert.ok(box.width > 300 && box.height > 100, `chart ${box.width}x${box.height}`);
  await page.getByText('The values charted, as a table').click();
  assert.match(await page.getByRole('table', { name: 'Values charted' }).innerText(),
    new RegExp(`${day(-70)}\\s+86 %`));
  const measurements = page.locator('section', { has: page.getByRole('heading', { name: /Measurements \(3\)/ }) });
  assert.match(await measurements.innerText(), /Warning/);
  await shot('03-metric-page');
  assert.deepEqual(suite.problems, []);
});

test('the list flags a metric off target', async () => {
  const { page } = suite;
  await page.goto(url('/metrics/new'));
  await page.locator('#title').fill('Phishing simulation click rate');
  await page.getByLabel('Method of measurement').fill('Clicks / recipients of the quarterly test.');
  await page.getByLabel('Who measures').selectOption({ index: 1 });
  await page.locator('#unit').fill('%');
  await page.getByLabel('Direction').selectOption('lower');
  await page.getByLabel('Target value').fill('5');
  await page.getByRole('button', { name: 'Create metric' }).click();
  await page.waitForURL(/\/metrics\/\d+\?notice=created$/);
  metricPath = new URL(page.url()).pathname;
  await measure('12', day(0));
  await page.goto(url('/metrics'));
  assert.match(await page.getByRole('row', { name: /Phishing simulation click rate/ }).innerText(),
    /Off target/);
  assert.doesNotMatch(await page.getByRole('row', { name: /Critical patches/ }).innerText(),
    /Off target|Due/);
  await shot('04-list');
  assert.deepEqual(suite.problems, []);
});
