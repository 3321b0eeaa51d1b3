// Lighthouse (mobile preset, the package's default: simulated throttling) on each URL given, in
// Debian's Chromium (CHROME_PATH), `--runs N` times each (default 3). Prints one JSON line: per
// page every run's scores and metrics; benchmarks/storefront_bench.py takes medians and ranges.
// A run Lighthouse itself reports as broken (a `runtimeError` such as NO_NAVSTART, seen on this
// loaded machine) is run again, up to as many extra times as runs were asked for.
// `--device-index N` calibrates the CPU instead of the preset's fixed 4× slowdown: each run slows
// the CPU by (host's benchmark index, as the previous run measured it) / N, floored at 1, so the
// page runs as on a device of index N. Chrome DevTools' calibration puts the preset's phone (a
// Moto G Power 2022) at 264 (docs/benchmarks.md). A first, discarded run measures the host.
import { parseArgs } from 'node:util';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM, CHROMIUM_FLAGS } from '../e2e/browser.mjs';

const { values, positionals: urls } = parseArgs({ options: { runs: { type: 'string', default: '3' },
                                                                       'device-index': { type: 'string' } },
                                                   allowPositionals: true });
const runs = Number(values.runs);
const deviceIndex = values['device-index'] ? Number(values['device-index']) : null;

function figures(lhr) {
  const audit = (id) => lhr.audits[id];
  const requests = audit('network-requests')?.details?.items ?? [];
  const lcp = audit('largest-contentful-paint-element')?.details?.items ?? [];
  return {
    performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
    fcpMs: Math.round(audit('first-contentful-paint').numericValue),
    lcpMs: Math.round(audit('largest-contentful-paint').numericValue),
    tbtMs: Math.round(audit('total-blocking-time').numericValue),
    cls: Number(audit('cumulative-layout-shift').numericValue.toFixed(3)),
    // The LCP's phases (TTFB, load delay, load time, render delay): where its time goes.
    lcpPhases: Object.fromEntries((lcp[1]?.items ?? []).map((item) => [item.phase, Math.round(item.timing)])),
    lcpElement: lcp[0]?.items?.[0]?.node?.snippet ?? null,
    // The host's speed as Lighthouse measured it: TBT scales with it (simulation multiplies observed CPU time).
    benchmarkIndex: Math.round(lhr.environment.benchmarkIndex),
    apiCalls: requests.filter((item) => new URL(item.url).pathname.startsWith('/api/')).length,
    failedAudits: Object.values(lhr.audits)
      .filter((item) => item.score !== null && item.score < 0.9 && item.scoreDisplayMode === 'binary')
      .map((item) => item.id),
  };
}

const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', ...CHROMIUM_FLAGS] });
const pages = [];
let hostIndex = null;
async function run(url) {
  const cpuSlowdownMultiplier = deviceIndex && hostIndex ? Math.max(1, hostIndex / deviceIndex) : 4;
  const { lhr } = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error',
                                          onlyCategories: ['performance', 'accessibility'] },
                                   { extends: 'lighthouse:default', settings: { throttling: { cpuSlowdownMultiplier } } });
  hostIndex = lhr.environment.benchmarkIndex || hostIndex;
  return lhr.runtimeError ? null : { ...figures(lhr), cpuSlowdown: Number(cpuSlowdownMultiplier.toFixed(2)) };
}
try {
  if (deviceIndex) await run(urls[0]);
  for (const url of urls) {
    const done = [];
    for (let attempt = 0; done.length < runs && attempt < 2 * runs; attempt++) {
      const result = await run(url);
      if (result) done.push(result);
    }
    if (!done.length) throw new Error(`Lighthouse could not measure ${url}`);
    pages.push({ url, runs: done });
  }
} finally {
  await chrome.kill();
}
console.log(JSON.stringify({ pages }));
