// Opens the dashboard in headless Chromium (playwright-core, pinned in package.json), waits until every chart is drawn,
// and prints as JSON what each chart's ECharts instance holds, with the console errors and failed requests.
// DashboardIT runs it and judges the result. Usage: node dashboard-check.mjs URL SCREENSHOT.png CHROMIUM
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot, executablePath] = process.argv.slice(2);
// A fresh profile, and nothing that reaches for Google's hosts: this machine's network is closed.
const profile = mkdtempSync(join(tmpdir(), 'tokenscope-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  chromiumSandbox: false,
  viewport: { width: 1440, height: 900 },
  args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const problems = { consoleErrors: [], failedRequests: [], httpErrors: [] };
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(String(error)));
  page.on('requestfailed', (request) => problems.failedRequests.push(request.url() + ' ' + request.failure()?.errorText));
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.httpErrors.push(response.status() + ' ' + response.url());
    }
  });
  await page.goto(url, { waitUntil: 'load', timeout: 60000 });
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: 60000 });
  const result = await page.evaluate(() => {
    // A point is a finite number, or an array or {value} holding one: what a line, bar or scatter series draws.
    const values = (item) => {
      const value = item !== null && typeof item === 'object' && !Array.isArray(item) ? item.value : item;
      return (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'number' && Number.isFinite(v));
    };
    return {
      state: document.body.dataset.state,
      status: document.getElementById('status').textContent,
      charts: [...document.querySelectorAll('.chart')].map((element) => {
        const option = window.echarts.getInstanceByDom(element).getOption();
        return {
          figure: element.dataset.figure,
          meta: element.parentElement.querySelector('.meta').textContent,
          title: (option.title || []).map((t) => t.text || '').join(' '),
          series: (option.series || []).map((s) => ({
            name: String(s.name),
            type: s.type,
            points: (s.data || []).filter((item) => values(item).length > 0).length,
            nonZero: (s.data || []).filter((item) => values(item).some((v) => v !== 0)).length,
            markLines: s.markLine ? s.markLine.data.length : 0,
          })),
        };
      }),
    };
  });
  await page.screenshot({ path: screenshot, fullPage: true });
  // Each chart's tooltip on its first point, as a hover shows it: ECharts writes it as HTML, so a content security
  // policy that refused it would show here and in the console.
  await page.evaluate(() => document.querySelectorAll('.chart').forEach((element) => window.echarts
      .getInstanceByDom(element).dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: 0 })));
  await page.waitForTimeout(500);
  const tooltips = await page.evaluate(() => [...document.querySelectorAll('.chart')].map((element) =>
      [...element.querySelectorAll('div')].map((div) => div.innerText.trim()).find((text) => text) || ''));
  result.charts.forEach((chart, i) => { chart.tooltip = tooltips[i]; });
  console.log(JSON.stringify({ ...result, ...problems }));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
