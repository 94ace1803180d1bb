import { chromium, type Browser } from 'playwright-core';
import { inject } from 'vitest';

/** Headless Chromium (the suite's global setup provisions it) with no background traffic: this machine reaches only loopback. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: inject('chromiumPath'),
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
