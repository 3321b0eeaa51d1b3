// Debian's Chromium driven by playwright-core (no browser download), with ARCHITECTURE §8's flags.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The options every context of a journey gets: ``bypassCSP`` only so axe-core can be injected
 *  into the storefront's strict policy. */
export const CONTEXT_OPTIONS = { viewport: { width: 1280, height: 900 }, bypassCSP: true };

/** A persistent context on a fresh profile folder (Chromium wants its own --user-data-dir);
 *  see ``CONTEXT_OPTIONS``. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'storefront-e2e-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, ...CONTEXT_OPTIONS,
  });
}

/** A browser for journeys with several people at once: each ``newContext()`` is its own
 *  profile (cookies, storage), as two people on two machines would be. */
export async function launchForMany() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
