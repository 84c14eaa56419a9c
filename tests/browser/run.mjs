// Browser tests of Tsunagu's web pages, as a resident and as front-desk staff would
// use them: Debian's headless chromium driven by playwright-core, axe-core for
// accessibility. One server, one browser, started and stopped here.
//
//   cd tests/browser && npm ci && node --test-reporter=spec run.mjs
//
// Environment:
//   TSUNAGU_BIN        the server binary (default <repo>/target/release/tsunagu)
//   TSUNAGU_ARTIFACTS  where screenshots, the PDF and measurements go
//                      (default <repo>/target/browser-artifacts)
//   CHROMIUM           the browser (default /usr/bin/chromium)
//
// Nothing here asserts on timing: the throttled mobile figure is printed and written
// to the artifacts folder only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const BIN = process.env.TSUNAGU_BIN || path.join(repo, 'target', 'release', 'tsunagu');
const ARTIFACTS = process.env.TSUNAGU_ARTIFACTS || path.join(repo, 'target', 'browser-artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const GUARDIANSHIP = '成年後見について相談したい';
const CRISIS = '夫に殴られる';
const DESPAIR = '毎日もう疲れた。誰にも頼れない';
const CASE_NOTE = '80代の母と50代で無職の息子、家はごみだらけ、母は物忘れ';
// A Sagamihara window with phones for the record page and the one-window slip: the
// first such result for the guardianship question (set in `before`).
let RECORD = 'sgm-koureisha';
const BUDGET = 50 * 1024; // bytes on the wire for the resident page with results

let server; // the tsunagu child process
let serverLog = '';
let base; // http://127.0.0.1:PORT
let widgetHost; // the second origin's http server
let widgetOrigin;
let browser;
let indexDir;

// ---------------------------------------------------------------- helpers

const q = (s) => encodeURIComponent(s);
const digits = (s) => String(s).replace(/#/g, '%23').replace(/[^0-9+%]/g, '');

async function api(pathAndQuery) {
  const r = await fetch(base + pathAndQuery);
  assert.equal(r.status, 200, `${pathAndQuery} answered ${r.status}`);
  return r.json();
}

/** Every phone number anywhere in an API answer (results, routes, crisis lines). */
function phonesIn(v, out = new Set()) {
  if (Array.isArray(v)) v.forEach((x) => phonesIn(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'phone' && typeof x === 'string') out.add(x);
      else phonesIn(x, out);
    }
  }
  return out;
}

async function newPage(opts = {}) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
    ...opts,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => console.log(`  [page error] ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/.test(m.text())) {
      cspViolations.push(`${page.url()}: ${m.text()}`);
    }
  });
  return page;
}

/** Anything our own pages did that the server's CSP refused (checked by the last test). */
const cspViolations = [];

/** The element that has focus, described, with whether its focus can be seen. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 &&
      r.left < innerWidth && r.top < innerHeight;
    const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) ||
      cs.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '', value: el.value ?? '',
      cls: el.className || '', text: (el.textContent || '').trim().slice(0, 40),
      visibleFocus: onScreen && ring && el.matches(':focus-visible'),
      outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
    };
  });
}

async function axe(page, label) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.join(' '), html: n.html.slice(0, 200), fix: n.failureSummary,
      })),
    }));
  });
  for (const v of res) {
    console.log(`  [axe ${label}] ${v.impact} ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      console.log(`      at ${n.target}\n        ${n.html}\n        ${(n.fix || '').replace(/\n/g, '\n        ')}`);
    }
    if (v.nodes.length > 8) console.log(`      … and ${v.nodes.length - 8} more`);
  }
  return res;
}

function writeArtifact(name, data) {
  fs.writeFileSync(path.join(ARTIFACTS, name), data);
}

// ---------------------------------------------------------------- setup

async function waitForBinary() {
  // The binary is rebuilt from time to time; give a rebuild a moment to land.
  for (let i = 0; i < 60 && !fs.existsSync(BIN); i++) await new Promise((r) => setTimeout(r, 1000));
  assert.ok(fs.existsSync(BIN), `no server binary at ${BIN} (set TSUNAGU_BIN)`);
}

// A city page that does its worst to the widget: a strict Content-Security-Policy (no
// inline styles; scripts and requests only from Tsunagu) and a stylesheet that shrinks
// fonts, inputs and boxes everywhere. The widget must look and work the same.
const HOSTILE_CSS = `html { font-size: 10px; } body { font: 9px/1 serif; color: #777; }
div { width: 180px; max-width: 180px; } * { font-size: 9px !important; line-height: 1 !important; }
input, button { width: 40px !important; } section, article, h2, h3 { border: 0 !important;
background: none !important; margin: 0 !important; padding: 0 !important; } ul { list-style: square; }`;

async function startWidgetHost() {
  widgetHost = http.createServer((req, res) => {
    if (req.url === '/host.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(HOSTILE_CSS);
      return;
    }
    if (req.url !== '/' && !req.url.startsWith('/?')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src ${base}; connect-src ${base}; style-src 'self'; img-src 'self' data:`,
    });
    res.end(`<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>相模原市 福祉のページ（試験用）</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/host.css"></head><body>
<h1>福祉の相談</h1><p>市のページの中の検索ボックス:</p>
<script src="${base}/widget.js" data-city="sagamihara"></script>
<p>ページの続き</p></body></html>`);
  });
  widgetHost.listen(0, '127.0.0.1');
  await once(widgetHost, 'listening');
  widgetOrigin = `http://127.0.0.1:${widgetHost.address().port}`;
}

async function startServer() {
  indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsunagu-browser-index-'));
  server = spawn(BIN, [
    '--content', path.join(repo, 'content'), '--index', indexDir,
    'serve', '--addr', '127.0.0.1:0', '--cors-origins', widgetOrigin,
  ], {
    env: { ...process.env, TSUNAGU_DICT_DIR: path.join(repo, 'index', 'dictionary') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr.on('data', (d) => { serverLog += d; });
  base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server not listening after 60 s:\n${out}${serverLog}`)), 60_000);
    server.stdout.on('data', (d) => {
      out += d;
      serverLog += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${serverLog}`)); });
  });
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await waitForBinary();
  // The widget page's origin must be known before the server starts (CORS list),
  // and the server's before the widget page is served: the page is built per request.
  base = 'http://127.0.0.1:0';
  await startWidgetHost();
  await startServer();
  console.log(`  server ${base}, widget host ${widgetOrigin}, artifacts ${ARTIFACTS}`);
  const a = await api(`/api/answer?q=${q(GUARDIANSHIP)}&city=sagamihara`);
  RECORD = a.results.find((r) => r.contacts.some((c) => c.phone))?.id ?? RECORD;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close().catch(() => {});
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await Promise.race([once(server, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  widgetHost?.close();
  if (serverLog) fs.writeFileSync(path.join(ARTIFACTS, 'server.log'), serverLog);
  if (indexDir) fs.rmSync(indexDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- resident page

test('resident: a question for 相模原市 shows the engine\'s answer with a phone to call', async () => {
  const answer = await api(`/api/answer?q=${q(GUARDIANSHIP)}&city=sagamihara`);
  assert.ok(answer.results.length > 0, 'the engine has results for the question');
  const phones = phonesIn(answer);

  const page = await newPage();
  await page.goto('/');
  await page.getByLabel('どんなことでお困りですか').fill(GUARDIANSHIP);
  await page.getByRole('radio', { name: '相模原市' }).check();
  await page.getByLabel('どんなことでお困りですか').press('Enter');

  const cards = page.locator('#results article.card');
  await cards.first().waitFor();
  // The page shows the engine's answer in the engine's order.
  const titles = await cards.locator('h3').allInnerTexts();
  assert.deepEqual(titles, answer.results.map((r) => r.title));
  const tel = cards.first().locator('a[href^="tel:"]').first();
  await tel.waitFor();
  const shown = (await tel.innerText()).trim();
  assert.ok(phones.has(shown), `the first card's phone ${shown} is one the engine gave (${[...phones].join(', ')})`);
  assert.equal(await tel.getAttribute('href'), `tel:${digits(shown)}`);
  assert.ok(await tel.isVisible());
  // The URL carries the question (so it can be shared or reloaded).
  assert.match(page.url(), /[?&]q=/);
  assert.match(page.url(), /city=sagamihara/);
  await page.context().close();
});

test('resident: keyboard only, from the page start to the results', async () => {
  const page = await newPage();
  await page.goto('/');
  const seen = [];
  const want = { skip: false, q: false, radio: false, furigana: false, submit: false };
  for (let i = 0; i < 15 && !Object.values(want).every(Boolean); i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) continue;
    seen.push(f);
    let key = null;
    if (f.tag === 'a' && /\bskip\b/.test(f.cls)) key = 'skip';
    else if (f.id === 'q') {
      key = 'q';
      await page.keyboard.type(GUARDIANSHIP);
    } else if (f.type === 'radio') {
      key = 'radio';
      // Arrow keys move within the group and choose: go to 相模原市.
      for (let k = 0; k < 4 && (await focused(page)).value !== 'sagamihara'; k++) await page.keyboard.press('ArrowRight');
      assert.equal((await focused(page)).value, 'sagamihara');
      assert.equal(await page.getByRole('radio', { name: '相模原市' }).isChecked(), true);
    } else if (f.id === 'furigana') key = 'furigana';
    else if (f.tag === 'button' && f.type === 'submit' && f.text === '相談先をさがす') key = 'submit';
    if (key) {
      assert.ok(f.visibleFocus, `focus on ${key} can be seen (outline ${f.outline})`);
      want[key] = true;
    }
  }
  console.log(`  tab order: ${seen.map((f) => f.id || f.cls || f.text || f.tag).join(' → ')}`);
  assert.deepEqual(want, { skip: true, q: true, radio: true, furigana: true, submit: true },
    'Tab reaches the skip link, the search box, the city, ふりがな and the button');

  // Back to the search box with Shift+Tab, and Enter.
  for (let i = 0; i < 10 && (await focused(page))?.id !== 'q'; i++) await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page))?.id, 'q');
  await page.keyboard.press('Enter');
  await page.locator('#results article.card').first().waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'results-title');
  const f = await focused(page);
  assert.equal(f.id, 'results-title', 'focus moves to the results heading');
  console.log(`  results heading focus: outline ${f.outline}, visible ${f.visibleFocus}`);
  await page.context().close();
});

test('resident: without JavaScript the form still answers (server-rendered page)', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto('/');
  await page.getByLabel('どんなことでお困りですか').fill(GUARDIANSHIP);
  await page.getByRole('radio', { name: '相模原市' }).check();
  await page.locator('#furigana').check();
  await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole('button', { name: '相談先をさがす' }).click()]);
  const answer = await api(`/api/answer?q=${q(GUARDIANSHIP)}&city=sagamihara`);
  const titles = await page.locator('#results article.card h3').allInnerTexts();
  // With ふりがな the readings are part of the text: compare without them.
  const plain = await page.locator('#results article.card h3').evaluateAll((hs) => hs.map((h) => {
    const c = h.cloneNode(true);
    c.querySelectorAll('rt, rp').forEach((x) => x.remove());
    return c.textContent;
  }));
  assert.equal(titles.length, answer.results.length);
  assert.deepEqual(plain, answer.results.map((r) => r.title));
  assert.ok((await page.locator('#results ruby rt').count()) > 0, 'ふりがな applies');
  assert.ok((await page.locator('#results a[href^="tel:"]').count()) > 0);
  // The city is remembered for the next visit (the only thing kept, in a cookie).
  const cookies = await page.context().cookies();
  assert.ok(cookies.some((c) => c.name === 'tsunagu_city' && c.value === 'sagamihara'));
  await page.goto('/');
  assert.equal(await page.getByRole('radio', { name: '相模原市' }).isChecked(), true, 'the city is remembered');
  await page.context().close();
});

test('resident: the ふりがな switch puts readings over the kanji', async () => {
  const page = await newPage();
  await page.goto(`/?q=${q(GUARDIANSHIP)}&city=sagamihara`);
  await page.locator('#results article.card').first().waitFor();
  assert.equal(await page.locator('#results ruby').count(), 0, 'no readings before the switch');
  await page.locator('#furigana').check();
  await page.locator('#results ruby rt').first().waitFor();
  const pairs = await page.locator('#results ruby').evaluateAll((rs) => rs.map((r) => {
    const base = [...r.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('');
    return [base, r.querySelector('rt')?.textContent || ''];
  }));
  assert.ok(pairs.some(([b, rt]) => b === '相談' && rt === 'そうだん'), '相談 reads そうだん');
  assert.ok(pairs.length > 20, `many readings (${pairs.length})`);
  // The parenthesised fallbacks stay hidden where ruby is supported.
  assert.equal(await page.locator('#results rp').first().isVisible(), false);
  assert.equal(await page.locator('#furigana').isChecked(), true);
  await page.context().close();
});

test('resident: a crisis question shows the crisis lines above the first result', async () => {
  const answer = await api(`/api/answer?q=${q(CRISIS)}&city=sagamihara`);
  assert.ok(answer.emergency, 'the engine sees a danger');
  const page = await newPage();
  await page.goto('/');
  await page.getByLabel('どんなことでお困りですか').fill(CRISIS);
  await page.getByRole('radio', { name: '相模原市' }).check();
  await page.getByLabel('どんなことでお困りですか').press('Enter');
  // The crisis block may sit inside the results or above the whole form: either way
  // it must come before the first window.
  const crisis = page.locator('main section.crisis');
  await crisis.waitFor();
  assert.equal(await crisis.count(), 1, 'one crisis block');
  const card = page.locator('#results article.card').first();
  await card.waitFor();
  const before = await crisis.evaluate((c, sel) =>
    !!(c.compareDocumentPosition(document.querySelector(sel)) & Node.DOCUMENT_POSITION_FOLLOWING),
  '#results article.card');
  assert.ok(before, 'the crisis block comes before the first card in the page');
  const [cb, rb] = [await crisis.boundingBox(), await card.boundingBox()];
  assert.ok(cb.y + cb.height <= rb.y, `crisis block (bottom ${cb.y + cb.height}) is above the first card (top ${rb.y})`);
  const tels = crisis.locator('a[href^="tel:"]');
  assert.ok((await tels.count()) >= 1);
  const shown = (await tels.allInnerTexts()).map((s) => s.trim());
  const expected = answer.emergency.contacts.filter((c) => c.phone).map((c) => c.phone);
  assert.deepEqual(shown, expected, 'the crisis lines are the engine\'s, in its order');
  assert.equal(await crisis.getAttribute('role'), 'alert');
  // Focus lands on the crisis heading or the results heading, never nowhere.
  await page.waitForFunction(() => ['crisis-title', 'results-title'].includes(document.activeElement?.id));
  const focus = await page.evaluate(() => document.activeElement.id);
  console.log(`  crisis lines: ${shown.join(', ')}; first result: ${await card.locator('h3').innerText()}; focus on #${focus}`);
  await page.context().close();
});

test('resident: despair with no danger shows the calm support block above the first result', async () => {
  const answer = await api(`/api/answer?q=${q(DESPAIR)}&city=sagamihara`);
  assert.ok(answer.support && !answer.emergency, 'the engine raises support, not the crisis block');
  const page = await newPage();
  await page.goto('/');
  await page.getByLabel('どんなことでお困りですか').fill(DESPAIR);
  await page.getByRole('radio', { name: '相模原市' }).check();
  await page.getByLabel('どんなことでお困りですか').press('Enter');
  const block = page.locator('main section.support');
  await block.waitFor();
  assert.equal(await page.locator('main section.crisis').count(), 0, 'no crisis block');
  assert.equal(await block.locator('h2').innerText(), answer.support.title);
  const card = page.locator('#results article.card').first();
  await card.waitFor();
  const [sb, rb] = [await block.boundingBox(), await card.boundingBox()];
  assert.ok(sb.y + sb.height <= rb.y, 'the support block is above the first card');
  const shown = (await block.locator('a[href^="tel:"]').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(shown, answer.support.contacts.map((c) => c.phone), 'the engine\'s lines, in its order');
  await page.screenshot({ path: `${ARTIFACTS}/support-390.png`, fullPage: false });
  await page.context().close();
});

// ---------------------------------------------------------------- phone layout (issue 22)

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SCREEN = PHONE.viewport.height;

/** What each result card shows, as a person reads it. */
function cardsAsSeen(page) {
  return page.locator('#results article.card').evaluateAll((cards) => cards.map((c) => {
    // Closed <details> content keeps its boxes in chromium (content-visibility: hidden).
    const visible = (e) => e.checkVisibility({ visibilityProperty: true });
    const steps = [...c.querySelectorAll('.route li')];
    return {
      title: c.querySelector('h3').textContent,
      top: c.getBoundingClientRect().top + scrollY,
      bottom: c.getBoundingClientRect().bottom + scrollY,
      phones: [...c.querySelectorAll('a[href^="tel:"]')].filter(visible).map((a) => a.textContent),
      notices: [...c.querySelectorAll('.as-of')].map((n) => n.textContent),
      steps: steps.length,
      stepsSeen: steps.filter(visible).length,
    };
  }));
}

test('resident at 390 px: the answer follows the box, one age notice per card, routes fold after their first step', async () => {
  const page = await newPage(PHONE);
  await page.goto(`/?q=${q(GUARDIANSHIP)}&city=sagamihara`);
  const cards = await cardsAsSeen(page);
  assert.equal(cards.length, 5, 'five windows for the question');
  // Right after the box: the city choice is one line naming the city, the examples wait
  // below the answer, and the first window starts on the first screen.
  assert.equal(await page.getByRole('radio', { name: '相模原市' }).isVisible(), false, 'the city radios are folded');
  assert.match(await page.locator('details.city-choice summary').innerText(), /相模原市/);
  const box = await page.locator('#q').boundingBox();
  assert.ok(cards[0].top - (box.y + box.height) < 260, `the first card starts ${Math.round(cards[0].top - box.y - box.height)} px under the box`);
  assert.ok(cards[0].top < SCREEN / 2, `the first card starts on the first screen (at ${Math.round(cards[0].top)} px)`);
  const examples = await page.locator('nav.examples').boundingBox();
  assert.ok(examples.y > cards[4].bottom, 'the example questions come after the last card');
  // The age notice once per card, not under each of its numbers.
  for (const c of cards) {
    assert.equal(new Set(c.notices).size, c.notices.length, `${c.title}: each notice once (${c.notices.join(' / ')})`);
  }
  const wards = cards.find((c) => c.phones.length >= 3 && c.notices.length === 1);
  assert.ok(wards, 'a card with three numbers from one source says its age once');
  // The route: the first step shows, the rest opens on demand.
  for (const c of cards) {
    assert.equal(c.stepsSeen, Math.min(c.steps, 1), `${c.title}: ${c.stepsSeen} of ${c.steps} steps show before opening`);
  }
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(`  resident page, 5 results at 390 px: ${height} px high (${(height / SCREEN).toFixed(1)} screens of ${SCREEN} px)`);
  writeArtifact('resident-390-height.json', JSON.stringify({ width: 390, screen: SCREEN, height, cards: cards.length }, null, 2));
  await page.screenshot({ path: path.join(ARTIFACTS, 'resident-390-answer.png'), fullPage: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'resident-390-first-screen.png') });
  assert.ok(height <= 5 * SCREEN, `five windows fit in five screens (${height} px)`);

  // The rest of a route opens from the keyboard.
  const more = page.locator('#results article.card details.route-more').first();
  await more.locator('summary').focus();
  await page.keyboard.press('Enter');
  assert.equal(await more.evaluate((d) => d.open), true, 'Enter opens the rest of the route');
  assert.ok(await more.locator('li').first().isVisible(), 'step 2 shows');
  // On a wide screen the whole route shows without opening anything.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.reload();
  const wide = await cardsAsSeen(page);
  for (const c of wide) assert.equal(c.stepsSeen, c.steps, `${c.title}: every step shows at 1280 px`);
  await page.context().close();
});

test('resident at 390 px: without JavaScript a folded route and the city choice still open', async () => {
  const page = await newPage({ ...PHONE, javaScriptEnabled: false });
  await page.goto(`/?q=${q(GUARDIANSHIP)}&city=sagamihara`);
  const more = page.locator('#results article.card details.route-more').first();
  await more.locator('summary').click();
  assert.ok(await more.locator('li').first().isVisible(), 'the rest of the route opens');
  await page.locator('details.city-choice summary').click();
  await page.getByRole('radio', { name: '鶴岡市' }).check();
  await Promise.all([page.waitForURL(/city=tsuruoka/), page.getByRole('button', { name: '相談先をさがす' }).click()]);
  assert.match(await page.locator('details.city-choice summary').innerText(), /鶴岡市/);
  await page.context().close();
});

test('resident at 390 px: asked on the empty page, the answer also comes right after the box', async () => {
  const page = await newPage(PHONE);
  await page.goto('/');
  assert.equal(await page.getByRole('radio', { name: '相模原市' }).isVisible(), true, 'the empty page shows the cities');
  await page.getByRole('radio', { name: '相模原市' }).check();
  await page.getByLabel('どんなことでお困りですか').fill(GUARDIANSHIP);
  await page.getByLabel('どんなことでお困りですか').press('Enter');
  await page.locator('#results article.card').first().waitFor();
  assert.equal(await page.getByRole('radio', { name: '相模原市' }).isVisible(), false, 'the city choice folds');
  assert.match(await page.locator('details.city-choice summary').innerText(), /相模原市/);
  const [card] = await cardsAsSeen(page);
  assert.ok(card.top < SCREEN / 2, `the first card starts on the first screen (at ${Math.round(card.top)} px)`);
  await page.context().close();
});

test('resident at 390 px: the crisis block stays first, above the box', async () => {
  const page = await newPage(PHONE);
  await page.goto(`/?q=${q(CRISIS)}&city=sagamihara`);
  const [crisis, form] = [await page.locator('main section.crisis').boundingBox(), await page.locator('form#ask').boundingBox()];
  assert.ok(crisis.y + crisis.height <= form.y, 'the crisis block is above the search box');
  await page.screenshot({ path: path.join(ARTIFACTS, 'resident-390-crisis.png'), fullPage: true });
  await page.context().close();
});

test('resident at 390 px: ふりがな reaches the header, heading and labels, on the empty page too', async () => {
  const page = await newPage(PHONE);
  await page.goto('/');
  assert.equal(await page.locator('ruby').count(), 0, 'no readings before the switch');
  // Nothing asked yet: the switch still applies, to the whole page.
  await Promise.all([page.waitForURL(/furigana=1/), page.locator('#furigana').click()]);
  await page.locator('h1 ruby rt').first().waitFor();
  for (const sel of ['header.site', 'h1', '#q-hint', '#ask button[type=submit]',
    'details.city-choice summary', 'fieldset.city label', 'nav.examples h2', 'nav.examples a.chip', 'footer.site']) {
    assert.ok((await page.locator(`${sel} ruby rt`).count()) > 0, `${sel} has readings`);
  }
  assert.equal(await page.locator('#furigana').isChecked(), true);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.viewport.width, `readings do not widen the page (${width} px)`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'resident-390-furigana-empty.png'), fullPage: true });
  // With a danger: the crisis block is still first, and its heading has readings too.
  await page.goto(`/?q=${q(CRISIS)}&city=sagamihara&furigana=1`);
  assert.ok((await page.locator('section.crisis h2 ruby rt').count()) > 0, 'the crisis heading has readings');
  const [crisis, form] = [await page.locator('main section.crisis').boundingBox(), await page.locator('form#ask').boundingBox()];
  assert.ok(crisis.y + crisis.height <= form.y, 'the crisis block is above the search box');
  await page.context().close();
});

// ---------------------------------------------------------------- staff view

test('staff: the 分野 filter narrows the list', async () => {
  const page = await newPage();
  await page.goto('/staff?city=sagamihara');
  const rows = page.locator('ol.records > li');
  const count = page.locator('p.count');
  const [n0, t0] = [await rows.count(), await count.innerText()];
  await page.locator('#f-topic').selectOption('ひきこもり');
  await Promise.all([page.waitForURL(/topic=/), page.getByRole('button', { name: '絞り込む' }).click()]);
  const [n1, t1] = [await rows.count(), await count.innerText()];
  console.log(`  ${t0} (${n0} shown) → ${t1} (${n1} shown)`);
  assert.ok(n1 > 0 && n1 < n0, `fewer rows (${n0} → ${n1})`);
  assert.notEqual(t1, t0);
  assert.equal(await page.locator('#f-topic').inputValue(), 'ひきこもり', 'the filter stays chosen');
  const tags = await rows.evaluateAll((ls) => ls.map((l) => [...l.querySelectorAll('.tag')].map((t) => t.textContent)));
  assert.ok(tags.every((t) => t.includes('ひきこもり')), 'every row is tagged ひきこもり');
  await page.context().close();
});

let basketSlipUrl; // the slip of the three windows chosen below (used again later)

test('staff: three windows in the つなぎ basket, printed on one slip', async () => {
  const page = await newPage();
  await page.goto('/staff?city=sagamihara');
  const chosen = []; // {id, title, phone}
  for (const topic of ['高齢者・介護', 'ひきこもり', '生活困窮・お金・住まい']) {
    await page.locator('#f-topic').selectOption(topic);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('topic') === topic),
      page.getByRole('button', { name: '絞り込む' }).click(),
    ]);
    // The first row with a phone that is not in the basket yet.
    const row = page.locator('ol.records > li').filter({ has: page.locator('p.row-contact a.tel') })
      .filter({ has: page.locator('a.add') }).first();
    const id = (await row.getAttribute('id')).replace(/^r-/, '');
    const title = await row.locator('.row-head a.title').innerText();
    await Promise.all([page.waitForURL(new RegExp(`[?&]b=[^&]*${id}`)), row.locator('a.add').click()]);
    chosen.push({ id, title });
    const b = new URL(page.url()).searchParams.get('b');
    assert.deepEqual(b.split(','), chosen.map((c) => c.id), 'the basket is in the URL, in order');
  }
  const basket = page.locator('aside.basket');
  const items = basket.locator('ol > li');
  assert.equal(await items.count(), 3);
  const inBasket = await items.evaluateAll((ls) => ls.map((l) => ({
    title: l.querySelector('.title').textContent, phone: l.querySelector('a.tel')?.textContent,
  })));
  assert.deepEqual(inBasket.map((x) => x.title).sort(), chosen.map((c) => c.title).sort());
  assert.ok(inBasket.every((x) => x.phone), 'every basket window shows a phone');

  await Promise.all([page.waitForURL(/\/staff\/referral\?/), basket.getByRole('link', { name: 'つなぎシートを印刷する' }).click()]);
  basketSlipUrl = new URL(page.url()).pathname + new URL(page.url()).search;
  const windows = page.locator('ol.slip-windows > li.slip-window');
  assert.equal(await windows.count(), 3, 'the slip lists the three windows');
  const onSlip = await windows.evaluateAll((ls) => ls.map((l) => ({
    title: l.querySelector('h2').textContent,
    phones: [...l.querySelectorAll('a[href^="tel:"]')].map((a) => a.textContent),
  })));
  for (const b of inBasket) {
    const w = onSlip.find((s) => s.title === b.title);
    assert.ok(w, `${b.title} is on the slip`);
    assert.ok(w.phones.includes(b.phone), `${b.title}: its phone ${b.phone} is on the slip`);
  }
  assert.equal(await page.locator('figure.qr svg').count(), 3, 'a QR code per window');

  // As printed: the windows and their phones show, the site's header and footer do not.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.site').isVisible(), false, 'no site header on paper');
  assert.equal(await page.locator('footer.site').isVisible(), false, 'no site footer on paper');
  assert.equal(await page.locator('a.skip').isVisible(), false);
  for (let i = 0; i < 3; i++) {
    const w = windows.nth(i);
    assert.ok(await w.isVisible());
    assert.ok(await w.locator('h2').isVisible());
    const tel = w.locator('a[href^="tel:"]').first();
    assert.ok(await tel.isVisible(), `window ${i + 1}: its phone is printed`);
  }
  assert.ok(await page.locator('section.memo').isVisible(), 'room for a note is printed');
  const pdfPath = path.join(ARTIFACTS, 'referral-slip.pdf');
  fs.rmSync(pdfPath, { force: true });
  await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  const pdf = fs.readFileSync(pdfPath);
  assert.ok(pdf.length > 1000, `the PDF has content (${pdf.length} bytes)`);
  assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  const pagesInPdf = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  console.log(`  slip ${basketSlipUrl}: ${pdf.length} bytes, ${pagesInPdf} A4 page(s)`);
  await page.context().close();
});

test('staff: a case note proposes one window per need and fills the basket', async () => {
  const page = await newPage();
  await page.goto('/staff?city=sagamihara');
  await page.locator('#note').fill(CASE_NOTE);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/staff'),
    page.getByRole('button', { name: '困りごとごとに窓口を出す' }).click(),
  ]);
  await page.waitForLoadState('load');
  const needs = page.locator('section.case li.case-need');
  await needs.first().waitFor();
  const found = await needs.evaluateAll((ls) => ls.map((l) => ({
    need: l.querySelector('.need').textContent,
    id: (l.querySelector('a[href^="/resources/"]').getAttribute('href').match(/\/resources\/([^?]+)/) || [])[1],
    tel: !!l.querySelector('a[href^="tel:"]'),
  })));
  console.log(`  needs: ${found.map((f) => `${f.need} → ${f.id}`).join('; ')}`);
  assert.equal(found.length, 3, 'three needs');
  for (const re of [/高齢|介護|認知症/, /ひきこもり/, /ごみ屋敷/]) {
    assert.ok(found.some((f) => re.test(f.need)), `a need like ${re}`);
  }
  assert.ok(found.every((f) => f.tel), 'every need comes with a phone');
  const basket = page.locator('aside.basket ol > li');
  assert.equal(await basket.count(), 3, 'the basket holds the three windows');
  const slip = await page.locator('aside.basket a.print-slip').getAttribute('href');
  const b = new URL(slip, base).searchParams.get('b').split(',');
  assert.deepEqual([...b].sort(), found.map((f) => f.id).sort(), 'the slip link carries the three windows');
  assert.equal(new URL(slip, base).searchParams.get('city'), 'sagamihara');
  // The note is not echoed back into the page.
  assert.equal(await page.locator('#note').inputValue(), '');
  await page.context().close();
});

test('slip: one window\'s sheet has an inline SVG QR code', async () => {
  const page = await newPage();
  const r = await page.goto(`/staff/referral/${RECORD}?city=sagamihara`);
  assert.equal(r.status(), 200);
  const qr = page.locator('figure.qr');
  assert.equal(await qr.count(), 1);
  const svg = qr.locator('svg');
  assert.equal(await svg.count(), 1, 'an inline <svg>');
  const box = await svg.boundingBox();
  assert.ok(box.width > 50 && box.height > 50, `the code is big enough to scan (${box.width}×${box.height})`);
  assert.ok(await svg.evaluate((s) => s.querySelectorAll('path, rect').length > 0), 'the code has modules');
  assert.match(await svg.getAttribute('aria-label'), /.+/, 'the code is named for screen readers');
  assert.ok(await page.locator('button.print').isVisible(), 'the script shows the print button');
  await page.context().close();
});

// ---------------------------------------------------------------- slip on paper (issue 22)

const DANGER_SLIP = '/staff/referral?b=sgm-jiritsu-midori,sgm-koureisha,sgm-houkatsu-center&city=sagamihara&e=dv';

/**
 * Prints `url` to an A4 PDF and returns where chromium put each window and the memo
 * while laying the slip out for paper: read when the print media query changes (after
 * the page's own script has fitted the memo), in a space where page n starts at n × page.
 */
async function printSlip(url, name) {
  const page = await newPage();
  await page.goto(url);
  await page.evaluate(() => {
    const probe = document.createElement('div');
    Object.assign(probe.style, { position: 'absolute', top: '0', height: '100vh', width: '1px', visibility: 'hidden' });
    document.body.appendChild(probe);
    matchMedia('print').addEventListener('change', (e) => {
      if (!e.matches || window.printed) return;
      const top = document.documentElement.getBoundingClientRect().top;
      const at = (el) => { const b = el.getBoundingClientRect(); return { top: b.top - top, bottom: b.bottom - top }; };
      window.printed = {
        page: probe.getBoundingClientRect().height,
        rem: parseFloat(getComputedStyle(document.documentElement).fontSize),
        windows: [...document.querySelectorAll('li.slip-window')].map((w) => ({ title: w.querySelector('h2').textContent, ...at(w) })),
        memo: at(document.querySelector('.memo-lines')),
      };
    });
  });
  const pdfPath = path.join(ARTIFACTS, `${name}.pdf`);
  await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
  const printed = await page.evaluate(() => window.printed);
  await page.context().close();
  const pdf = fs.readFileSync(pdfPath).toString('latin1');
  printed.sheets = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
  printed.pdfPath = pdfPath;
  return printed;
}

/** The PDF's pages as PNGs in the artifacts folder, when poppler's pdftoppm is here. */
function renderPages(pdfPath) {
  const r = spawnSync('pdftoppm', ['-r', '60', '-png', pdfPath, pdfPath.replace(/\.pdf$/, '')]);
  if (r.error) console.log('  (pdftoppm not installed: no page images; apt-get install poppler-utils)');
}

/** The text of each PDF page (pdftotext), or null without poppler. */
function pdfPages(pdfPath) {
  const r = spawnSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split('\f').map((t) => t.replace(/\s+/g, ''));
}

for (const [label, slipUrl] of [['three windows', () => basketSlipUrl || `/staff/referral?b=sgm-koureisha,sgm-hikikomori-station,sgm-jiritsu-midori&city=sagamihara`],
  ['danger', () => DANGER_SLIP]]) {
  test(`slip on paper (${label}): no window is cut across two sheets, and the memo fills the last one`, async () => {
    const name = label === 'danger' ? 'referral-slip-danger' : 'referral-slip-three';
    const p = await printSlip(slipUrl(), name);
    renderPages(p.pdfPath);
    const sheet = (y) => Math.floor(y / p.page);
    const where = p.windows.map((w) => `${w.title}: sheet ${sheet(w.top) + 1} (ends ${Math.round(w.bottom % p.page)} of ${Math.round(p.page)} px)`);
    console.log(`  ${label}: ${p.sheets} A4 sheet(s); ${where.join('; ')}; memo ${Math.round(p.memo.bottom - p.memo.top)} px on sheet ${sheet(p.memo.top) + 1}`);
    assert.equal(p.windows.length, 3);
    for (const w of p.windows) {
      assert.equal(sheet(w.top), sheet(w.bottom - 1), `${w.title} is on one sheet (${Math.round(w.top)}–${Math.round(w.bottom)} px, a sheet is ${p.page} px)`);
    }
    // The memo: after the last window, down to the end of the last sheet, and roomy.
    const last = sheet(p.memo.top);
    assert.equal(sheet(p.memo.bottom - 1), last, 'the memo box is on one sheet');
    assert.equal(p.sheets, last + 1, 'the memo is on the last sheet');
    const gap = (last + 1) * p.page - p.memo.bottom;
    assert.ok(gap < 20, `the memo reaches the foot of the sheet (${Math.round(gap)} px short)`);
    const lines = (p.memo.bottom - p.memo.top) / (2 * p.rem);
    assert.ok(lines >= 4, `room for ${lines.toFixed(1)} lines of writing`);
    // The same seen in the PDF's text, when poppler is installed: each window's name is
    // on the sheet the layout put it on.
    const pages = pdfPages(p.pdfPath);
    if (pages) {
      for (const w of p.windows) {
        const key = w.title.replace(/\s+/g, '').slice(0, 8);
        assert.ok(pages[sheet(w.top)].includes(key), `${w.title} is printed on sheet ${sheet(w.top) + 1}`);
      }
    }
  });
}

// ---------------------------------------------------------------- accessibility

test('accessibility: axe finds nothing serious or critical', async () => {
  const slipUrl = basketSlipUrl || `/staff/referral?b=${RECORD}&city=sagamihara`;
  const pages = [
    ['resident with results', `/?q=${q(GUARDIANSHIP)}&city=sagamihara`],
    ['resident crisis', `/?q=${q(CRISIS)}&city=sagamihara`],
    ['resident with ふりがな', `/?q=${q(GUARDIANSHIP)}&city=sagamihara&furigana=1`],
    ['staff', '/staff?city=sagamihara'],
    ['record', `/resources/${RECORD}?city=sagamihara`],
    ['referral slip', slipUrl],
  ];
  // axe is injected as an inline script, which the pages' CSP rightly refuses.
  const page = await newPage({ bypassCSP: true });
  const bad = [];
  const all = {};
  for (const [label, url] of pages) {
    await page.goto(url);
    const v = await axe(page, label);
    all[label] = { url, violations: v };
    for (const x of v) if (x.impact === 'serious' || x.impact === 'critical') bad.push(`${label}: ${x.impact} ${x.id} (${x.nodes.length} nodes)`);
    if (!v.length) console.log(`  [axe ${label}] no violations`);
  }
  writeArtifact('axe.json', JSON.stringify(all, null, 2));
  await page.context().close();
  assert.deepEqual(bad, [], 'serious or critical accessibility violations');
});

// ---------------------------------------------------------------- weight and speed

/** Bytes on the wire (headers + compressed body) for one URL. */
function wireSize(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'accept-encoding': 'br, gzip' } }, (res) => {
      let body = 0;
      const head = Object.entries(res.headers).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 20);
      res.on('data', (d) => { body += d.length; });
      res.on('end', () => resolve({ url, encoding: res.headers['content-encoding'] || 'identity', body, total: head + body }));
    });
    req.on('error', reject);
  });
}

test('weight: the resident page with results is under 50 KB on the wire', async () => {
  const page = await newPage();
  const loaded = [];
  page.on('requestfinished', (req) => loaded.push(req));
  await page.goto(`/?q=${q(GUARDIANSHIP)}&city=sagamihara`, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle');
  const rows = [];
  for (const req of loaded) {
    const u = new URL(req.url());
    if (u.origin !== base || !['document', 'stylesheet', 'script'].includes(req.resourceType())) continue;
    const s = await req.sizes();
    const encoding = (await (await req.response()).allHeaders())['content-encoding'] || 'identity';
    rows.push({ url: req.url(), path: u.pathname, type: req.resourceType(), encoding, body: s.responseBodySize, total: s.responseBodySize + s.responseHeadersSize });
  }
  const browserTotal = rows.reduce((n, r) => n + r.total, 0);
  // The same three files fetched directly with Accept-Encoding: br, gzip.
  const direct = await Promise.all(rows.map((r) => wireSize(r.url)));
  const directTotal = direct.reduce((n, r) => n + r.total, 0);
  for (const r of rows) console.log(`  ${r.type.padEnd(10)} ${r.path.padEnd(20)} ${r.encoding.padEnd(8)} ${r.total} B`);
  console.log(`  total in the browser: ${browserTotal} B; fetched directly with br/gzip: ${directTotal} B; budget ${BUDGET} B`);
  writeArtifact('page-weight.json', JSON.stringify({ budget: BUDGET, browser: rows, browserTotal, direct, directTotal }, null, 2));
  assert.deepEqual(rows.map((r) => r.type).sort(), ['document', 'script', 'stylesheet']);
  assert.ok(rows.every((r) => r.encoding !== 'identity'), 'every file is sent compressed');
  assert.ok(browserTotal < BUDGET, `${browserTotal} B < ${BUDGET} B`);
  assert.ok(directTotal < BUDGET, `${directTotal} B < ${BUDGET} B`);
  await page.context().close();
});

/** The page's first contentful paint in ms (waits for it briefly if not painted yet). */
function firstContentfulPaint(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const seen = (list) => {
      const e = list.getEntries().find((x) => x.name === 'first-contentful-paint');
      if (e) resolve(e.startTime);
    };
    new PerformanceObserver(seen).observe({ type: 'paint', buffered: true });
    setTimeout(() => resolve(null), 5000);
  }));
}

test('speed: time to results on a throttled phone (printed, not asserted)', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

  // A cold load of the empty search page, then a question as a resident asks it.
  const t0 = Date.now();
  await page.goto('/', { waitUntil: 'load' });
  const coldLoad = Date.now() - t0;
  const fcp = await firstContentfulPaint(page);
  await page.getByLabel('どんなことでお困りですか').fill(GUARDIANSHIP);
  await page.getByRole('radio', { name: '相模原市' }).check();
  // Measured in the page: from the submit to the frame that shows the results.
  const toResults = await page.evaluate(() => new Promise((resolve) => {
    const start = performance.now();
    const done = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
    const obs = new MutationObserver(() => {
      if (document.querySelector('#results article.card')) { obs.disconnect(); done(); }
    });
    obs.observe(document.body, { childList: true, subtree: true });
    document.getElementById('ask').requestSubmit();
  }));
  await page.locator('#results article.card').first().waitFor();

  // Without the script's help: the whole results page as a fresh navigation.
  const t1 = Date.now();
  await page.goto(`/?q=${q(GUARDIANSHIP)}&city=sagamihara`, { waitUntil: 'load' });
  const fullPage = Date.now() - t1;
  const fullFcp = await firstContentfulPaint(page);

  const figures = {
    profile: { latencyMs: 150, downMbps: 1.6, upKbps: 750, cpuSlowdown: 4, viewport: '390x844' },
    submitToResultsMs: Math.round(toResults),
    coldLoadEmptyPageMs: coldLoad,
    coldFirstContentfulPaintMs: fcp && Math.round(fcp),
    fullResultsPageLoadMs: fullPage,
    fullResultsPageFirstContentfulPaintMs: fullFcp && Math.round(fullFcp),
  };
  console.log(`  throttled phone: submit → results rendered ${figures.submitToResultsMs} ms; ` +
    `empty page load ${coldLoad} ms (FCP ${figures.coldFirstContentfulPaintMs} ms); ` +
    `results page as a navigation ${fullPage} ms (FCP ${figures.fullResultsPageFirstContentfulPaintMs} ms)`);
  writeArtifact('throttled-mobile.json', JSON.stringify(figures, null, 2));
  await page.context().close();
});

// ---------------------------------------------------------------- screenshots

test('screenshots at 390 px and 1280 px', async () => {
  const slipUrl = basketSlipUrl || `/staff/referral?b=${RECORD}&city=sagamihara`;
  const shots = [
    ['resident', `/?q=${q(GUARDIANSHIP)}&city=sagamihara`],
    ['staff', '/staff?city=sagamihara'],
    ['record', `/resources/${RECORD}?city=sagamihara`],
    ['slip', slipUrl],
  ];
  const page = await newPage();
  const written = [];
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const [name, url] of shots) {
      await page.goto(url, { waitUntil: 'load' });
      // Nothing wider than the screen (no sideways scrolling on a phone).
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width} px scrolls sideways by ${overflow} px`);
      const file = path.join(ARTIFACTS, `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      assert.ok(fs.statSync(file).size > 0);
      written.push(path.basename(file));
    }
  }
  console.log(`  ${written.join(', ')}`);
  await page.context().close();
});

// ---------------------------------------------------------------- widget

test('widget: a city page on another origin asks and shows a phone', async () => {
  const page = await newPage();
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  await page.goto(widgetOrigin + '/');
  const widget = page.locator('.tsunagu-widget');
  await widget.waitFor();
  const box = widget.getByLabel('どんなことでお困りですか');
  await box.fill(GUARDIANSHIP);
  await box.press('Enter');
  const tel = widget.locator('article a[href^="tel:"]').first();
  await tel.waitFor();
  assert.ok(await tel.isVisible());
  const answer = await api(`/api/answer?q=${q(GUARDIANSHIP)}&city=sagamihara`);
  assert.ok(phonesIn(answer).has((await tel.innerText()).trim()), 'the widget shows a phone from the engine\'s answer');
  const titles = await widget.locator('article h3').allInnerTexts();
  assert.deepEqual(titles, answer.results.map((r) => r.title), 'the widget shows the engine\'s results in order');
  const link = await widget.locator('article h3 a').first().getAttribute('href');
  assert.ok(link.startsWith(base + '/resources/'), `result links go to the Tsunagu page (${link})`);
  const firstHasPhone = await widget.locator('article').first().locator('a[href^="tel:"]').count();
  console.log(`  widget: ${titles.length} results; first result shows ${firstHasPhone} phone link(s)`);
  assert.deepEqual(consoleErrors, [], 'no errors (CORS) in the console');
  await page.context().close();
});

/** The widget on the city page, asked `question`; resolves once it has answered. */
async function askWidget(page, question) {
  await page.goto(widgetOrigin + '/');
  const widget = page.locator('.tsunagu-widget');
  await widget.waitFor();
  const box = widget.getByLabel('どんなことでお困りですか');
  await box.fill(question);
  await box.press('Enter');
  await widget.locator('article').first().waitFor();
  return widget;
}

/** How a block looks: its border, background and heading size, as computed. */
function looks(locator) {
  return locator.evaluate((s) => {
    const cs = getComputedStyle(s);
    const h = s.querySelector('h2, h3, strong');
    return { border: parseFloat(cs.borderTopWidth), background: cs.backgroundColor,
      headingPx: parseFloat(getComputedStyle(h).fontSize), heading: h.textContent };
  });
}

test('widget: despair shows the support block before the results', async () => {
  const page = await newPage(PHONE);
  const widget = await askWidget(page, DESPAIR);
  const block = widget.locator('section.tsunagu-support');
  const answer = await api(`/api/answer?q=${q(DESPAIR)}&city=sagamihara`);
  assert.ok((await block.innerText()).includes(answer.support.title));
  const shown = (await block.locator('a[href^="tel:"]').allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(shown, answer.support.contacts.map((c) => c.phone));
  const first = widget.locator('article').first();
  const [sb, fb] = [await block.boundingBox(), await first.boundingBox()];
  assert.ok(sb.y + sb.height <= fb.y, 'support block above the first result');
  // Boxed and calm as on the page, whatever the city's stylesheet says.
  const look = await looks(block);
  assert.equal(look.heading, answer.support.title);
  assert.ok(look.border >= 2, `a border (${look.border} px)`);
  assert.equal(look.background, 'rgb(243, 246, 249)', 'the calm background');
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-support-390.png'), fullPage: true });
  await page.context().close();
});

test('widget at 390 px: the crisis block is boxed, headed and an alert, each line once; the box is full width', async () => {
  const page = await newPage(PHONE);
  const widget = await askWidget(page, CRISIS);
  const answer = await api(`/api/answer?q=${q(CRISIS)}&city=sagamihara`);
  const block = widget.getByRole('alert');
  assert.equal(await block.count(), 1, 'one alert');
  const look = await looks(block);
  assert.equal(look.heading, '今すぐ話せる相談先', 'headed as on the page');
  assert.ok(look.border >= 2, `a border (${look.border} px)`);
  assert.equal(look.background, 'rgb(255, 241, 240)', 'the alarm background');
  assert.ok(look.headingPx >= 16, `a heading one can read (${look.headingPx} px; the city page asks for 9 px)`);
  const [cb, fb] = [await block.boundingBox(), await widget.locator('article').first().boundingBox()];
  assert.ok(cb.y + cb.height <= fb.y, 'the crisis block is above the first result');
  // The engine's lines, in its order, and none of them again further down.
  const lines = [...new Set(answer.emergency.contacts.filter((c) => c.phone).map((c) => c.phone))];
  const inBlock = (await block.locator('.tel').allInnerTexts()).map((x) => x.trim());
  assert.deepEqual(inBlock, lines, 'the crisis lines, each once');
  const everywhere = (await widget.locator('.tel').allInnerTexts()).map((x) => x.trim());
  for (const l of lines) assert.equal(everywhere.filter((x) => x === l).length, 1, `${l} is shown once in the widget`);
  // The question fits in the box as typed, on a phone, with the city's CSS shrinking inputs.
  const input = widget.getByLabel('どんなことでお困りですか');
  await input.fill(GUARDIANSHIP);
  const [ib, wb] = [await input.boundingBox(), await widget.boundingBox()];
  assert.ok(ib.width >= wb.width - 2 && ib.width > 300, `the input spans the widget (${ib.width} of ${wb.width} px)`);
  assert.ok(await input.evaluate((i) => i.scrollWidth <= i.clientWidth), 'the typed question is not cut');
  await page.screenshot({ path: path.join(ARTIFACTS, 'widget-crisis-390.png'), fullPage: true });
  await page.context().close();
});

test('security: no page, script or widget broke the server\'s Content-Security-Policy', () => {
  assert.deepEqual(cspViolations, []);
});
