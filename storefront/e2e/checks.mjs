// What every page of a journey is held to: a screenshot as an artifact, and no serious or
// critical axe-core violation.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export class PageChecks {
  /** ``prefix`` keeps two journeys' screenshots apart in one folder. */
  constructor(artifacts, prefix = '') {
    this.artifacts = artifacts;
    this.prefix = prefix ? `${prefix}-` : '';
    this.violations = [];
    this.shots = 0;
    mkdirSync(artifacts, { recursive: true });
  }

  /** ``streaming``: the page holds a live stream open, so the network never goes idle. */
  async check(page, name, { streaming = false } = {}) {
    await page.waitForLoadState(streaming ? 'load' : 'networkidle');
    await page.screenshot({ path: join(this.artifacts, `${this.prefix}${String(++this.shots).padStart(2, '0')}-${name}.png`), fullPage: true });
    await page.addScriptTag({ path: AXE });
    const found = await page.evaluate(async () => {
      const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    });
    for (const violation of found) this.violations.push(`${name}: ${violation}`);
  }
}

