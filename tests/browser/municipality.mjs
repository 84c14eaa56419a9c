// A municipality joins with files (issue 20), in the browser: the fictional 架空町 of
// tests/fixtures/municipality/kakuu is dropped beside the real content (links in a
// temporary folder) and a resident uses the page for it at 390 px, as for a real city.
//
//   cd tests/browser && node --test-reporter=spec municipality.mjs
//
// Environment as run.mjs: TSUNAGU_BIN, TSUNAGU_ARTIFACTS, CHROMIUM.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const BIN = process.env.TSUNAGU_BIN || path.join(repo, 'target', 'release', 'tsunagu');
const ARTIFACTS = process.env.TSUNAGU_ARTIFACTS || path.join(repo, 'target', 'browser-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server;
let base;
let browser;
let tmp;

/** content/ and the fixture municipality side by side, as a city's folder is added. */
function contentWithKakuu() {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-kakuu-'));
  const content = path.join(tmp, 'content');
  fs.mkdirSync(content);
  for (const e of fs.readdirSync(path.join(repo, 'content'))) {
    fs.symlinkSync(path.join(repo, 'content', e), path.join(content, e));
  }
  fs.symlinkSync(path.join(repo, 'tests', 'fixtures', 'municipality', 'kakuu'), path.join(content, 'kakuu'));
  return content;
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const content = contentWithKakuu();
  server = spawn(BIN, ['--content', content, '--index', path.join(tmp, 'index'), 'serve', '--addr', '127.0.0.1:0'], {
    env: { ...process.env, TSUNAGU_DICT_DIR: path.join(repo, 'index', 'dictionary') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stderr.on('data', (d) => { log += d; });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server not listening after 60 s:\n${out}${log}`)), 60_000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${log}`)); });
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
});

after(async () => {
  await browser?.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await Promise.race([once(server, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('a resident of 架空町 (added as a folder) chooses it, asks, and gets its window to call', async () => {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 844 }, locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto('/');
  // The city choice offers it by name, like the real cities.
  const radio = page.getByRole('radio', { name: '架空町' });
  await radio.check();
  await page.getByRole('searchbox').fill('お金がなくて家賃が払えない');
  await page.getByRole('searchbox').press('Enter');
  await page.waitForURL(/q=/);
  const first = page.locator('main li, main article').filter({ hasText: '架空町くらし相談センター' }).first();
  await first.waitFor();
  const tel = page.locator('a[href="tel:0000000004"]').first();
  assert.ok(await tel.isVisible(), 'its くらし相談センター can be called from the page');
  assert.ok(!(await page.content()).includes('tel:042'), 'no 相模原 window for a 架空町 question');
  // The choice is remembered: the next visit asks for 架空町 again.
  await page.goto('/');
  assert.ok(await page.getByRole('radio', { name: '架空町' }).isChecked(), 'the city choice is remembered');
  // A crisis question shows the national lines and then 架空町's own line, first on the page.
  await page.goto(`/?q=${encodeURIComponent('もう死にたい')}&city=kakuu`);
  const crisis = page.locator('section.crisis');
  await crisis.waitFor();
  const text = await crisis.innerText();
  assert.ok(text.includes('0120-279-338') && text.includes('0000-00-0002'), text);
  await page.screenshot({ path: path.join(ARTIFACTS, 'kakuu-390.png'), fullPage: false });
  await context.close();
});
