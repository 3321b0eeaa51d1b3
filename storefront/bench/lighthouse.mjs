// Lighthouse (mobile preset, the package's default) on each URL given, in Debian's Chromium
// (CHROME_PATH). Prints one JSON line: per page the performance and accessibility scores, the
// largest contentful paint and the number of API calls the page made.
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/browser.mjs';

const urls = process.argv.slice(2);
const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS] });
const pages = [];
try {
  for (const url of urls) {
    const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error',
                                            onlyCategories: ['performance', 'accessibility'] });
    const requests = lhr.audits['network-requests']?.details?.items ?? [];
    pages.push({
      url,
      performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
      accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
      lcpMs: Math.round(lhr.audits['largest-contentful-paint'].numericValue),
      fcpMs: Math.round(lhr.audits['first-contentful-paint'].numericValue),
      tbtMs: Math.round(lhr.audits['total-blocking-time'].numericValue),
      lcpElement: lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.snippet ?? null,
      apiCalls: requests.filter((item) => new URL(item.url).pathname.startsWith('/api/')).length,
      failedAudits: Object.values(lhr.audits)
        .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode === 'binary')
        .map((audit) => audit.id),
    });
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify({ pages }));
