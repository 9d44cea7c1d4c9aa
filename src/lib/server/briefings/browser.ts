/**
 * One headless Chromium per process, launched at the first briefing and reused (a launch costs about
 * a second and 100 MB; a page a fraction of that), launched again if it died, closed on shutdown.
 * At most PRINT_CONCURRENCY pages print at once: the machine has 2 cores shared with the web itself.
 */
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { config } from '../config.ts';
import { logger } from '../log.ts';

/** Chromium is not where CHROMIUM_PATH says, or would not start: briefings cannot be printed here. */
export class ChromiumUnavailableError extends Error {
  constructor(readonly executablePath: string, readonly reason: 'missing' | 'launch_failed', cause?: unknown) {
    super(reason === 'missing' ? `Chromium not found at ${executablePath} (CHROMIUM_PATH)` : `Chromium at ${executablePath} did not start`, { cause });
  }
}

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const PRINT_CONCURRENCY = 2;
/** Prints waiting for a slot beyond which a new one is refused at once (a few seconds each: a minute of work). */
export const PRINT_QUEUE_MAX = 8;

/** Too many briefings are being printed: try again shortly. */
export class PrintQueueFullError extends Error {}

let launching: Promise<Browser> | null = null;
/** The browser the last good launch gave (a disconnect forgets it only if it is still this one). */
let current: Browser | null = null;
let shutdownHooked = false;

async function launch(executablePath: string): Promise<Browser> {
  try {
    await access(executablePath, constants.X_OK);
  } catch (e) {
    throw new ChromiumUnavailableError(executablePath, 'missing', e);
  }
  try {
    const browser = await chromium.launch({ executablePath, args: ARGS, headless: true });
    browser.on('disconnected', () => {
      if (launching && current === browser) launching = null;
    });
    current = browser;
    logger('web').info({ executablePath }, 'briefings: Chromium started');
    return browser;
  } catch (e) {
    throw new ChromiumUnavailableError(executablePath, 'launch_failed', e);
  }
}

/** The process's Chromium, launched when first needed (or again after it died). */
export async function sharedBrowser(): Promise<Browser> {
  if (!shutdownHooked) {
    shutdownHooked = true;
    process.once('sveltekit:shutdown', () => void closeBrowser());
  }
  if (launching) {
    const b = await launching.catch(() => null);
    if (b?.isConnected()) return b;
  }
  const attempt = launch(config().CHROMIUM_PATH);
  launching = attempt;
  // A failed launch is not kept: the next request tries again (Chromium may have been installed since).
  attempt.catch(() => {
    if (launching === attempt) launching = null;
  });
  return attempt;
}

/** Closes the browser if one runs (shutdown, and tests). */
export async function closeBrowser(): Promise<void> {
  const b = launching;
  launching = null;
  current = null;
  const browser = await b?.catch(() => null);
  await browser?.close().catch(() => {});
}

let idleTimer: NodeJS.Timeout | undefined;
/**
 * Closes the browser once no print has run for `ms` (the workers' mailing: a few prints a month need
 * not keep Chromium's memory in between). A print started meanwhile keeps it open; the next one after
 * the close launches it again.
 */
export function closeBrowserWhenIdle(ms: number): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (running === 0 && waiting.length === 0) void closeBrowser();
  }, ms);
  idleTimer.unref();
}

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when fewer than PRINT_CONCURRENCY others run. */
export async function withPrintSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PRINT_CONCURRENCY) {
    if (waiting.length >= PRINT_QUEUE_MAX) throw new PrintQueueFullError(`${waiting.length} prints waiting`);
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  clearTimeout(idleTimer);
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}
