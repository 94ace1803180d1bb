import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (scripts/install-system-deps.sh installs it), or CHROMIUM_PATH. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) {
    throw new Error(
      'no Chromium found: run scripts/install-system-deps.sh (Debian package chromium) or set CHROMIUM_PATH.',
    );
  }
  return found;
}

/** Headless Chromium with no background traffic: this machine reaches only loopback. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
