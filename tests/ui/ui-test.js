#!/usr/bin/env node
// Real-browser test of the Java (HPC) kernel in JupyterLab 4 and Notebook 7 (playwright-core
// driving Debian's chromium). Started by tests/ui/run.sh, which provides the server:
//
//   BASE_URL=http://127.0.0.1:PORT JUPYTER_TOKEN=... UI_ARTIFACTS=build-artifacts/ui node ui-test.js
//
// Optional: UI_KERNEL_DISPLAY_NAME (default "Java (HPC)"), UI_KERNEL_NAME (default java-hpc),
// CHROMIUM (default /usr/bin/chromium), UI_TEST_JOB_TIMEOUT (s, default 180), UI_HEADED=1.
// Prints one "PASS <check>" or "FAIL <check>: why" line per check; exits 1 if any failed.
// Every wait is on a DOM condition; the timeouts are only there so a broken page cannot hang.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const BASE = (process.env.BASE_URL || '').replace(/\/$/, '');
const TOKEN = process.env.JUPYTER_TOKEN || '';
const ART = path.resolve(process.env.UI_ARTIFACTS || path.join(__dirname, '../../build-artifacts/ui'));
const DISPLAY_NAME = process.env.UI_KERNEL_DISPLAY_NAME || 'Java (HPC)';
const KERNEL_NAME = process.env.UI_KERNEL_NAME || 'java-hpc';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const JOB_TIMEOUT = 1000 * Number(process.env.UI_TEST_JOB_TIMEOUT || 180);
const KERNEL_TIMEOUT = 90_000; // kernel start (JVM) and a plain Java cell
const UI_TIMEOUT = 30_000; // the page reacting to a click or key
if (!BASE || !TOKEN) {
  console.error('ui-test.js: BASE_URL and JUPYTER_TOKEN must be set (use tests/ui/run.sh)');
  process.exit(2);
}

// ---- the cells ------------------------------------------------------------------------------
const JAVA_CELL = '1 + 1';
const HPC_CELL = '%%hpc\n#!/bin/bash\nfor i in 1 2 3 4 5 6; do echo line $i; sleep 1; done';
const LONG_CELL = '%%hpc\n#!/bin/bash\nsleep 300';
const COMPLETE_PREFIX = '%%hpc --par';
// %%hpc cells typed key by key as a user types them, keeping whatever indentation the editor
// adds after %%hpc (JupyterLab edits the cell in Java mode): [label, code, expected stdout line].
const TYPED_CELLS = [
  ['shell', '%%hpc\n#!/bin/bash\necho shell $((6 * 7))', 'shell 42'],
  ['Python', '%%hpc\n#!/usr/bin/env python3\nimport sys\nprint("python", 6 * 7, sys.version_info[0])', 'python 42 3'],
  ['Java', '%%hpc\nint x = 6 * 7;\nSystem.out.println("java " + x);', 'java 42'],
];
const SAVED_NAME = 'hpc-ui-test.ipynb';
// A job's final states as the status line spells them (a regex source, used in the page too).
const TERMINAL = 'COMPLETED|FAILED|CANCELLED|TIMEOUT|OUT_OF_MEMORY|NODE_FAIL|PREEMPTED|BOOT_FAIL|DEADLINE';

// ---- reporting ------------------------------------------------------------------------------
const results = [];
let shotNo = 0;
const consoleLog = [];

function report(name, ok, detail) {
  results.push({ name, ok, detail });
  const line = `${ok ? 'PASS' : 'FAIL'} ${name}${detail ? (ok ? ` (${detail})` : `: ${detail}`) : ''}`;
  console.log(line);
}

async function shot(page, label) {
  shotNo += 1;
  const file = path.join(ART, `${String(shotNo).padStart(2, '0')}-${label}.png`);
  try {
    await page.screenshot({ path: file, fullPage: false });
  } catch (e) {
    console.log(`  (screenshot ${label} failed: ${e.message.split('\n')[0]})`);
  }
  return file;
}

// Runs one check: fn returns a detail string (PASS) or throws (FAIL, with a screenshot).
async function check(name, page, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    report(name, true, [detail, `${((Date.now() - t0) / 1000).toFixed(1)}s`].filter(Boolean).join(', '));
    return true;
  } catch (e) {
    report(name, false, e.message.split('\n')[0]);
    if (page) await shot(page, `FAIL-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
    return false;
  }
}

function skip(name, why) {
  report(name, false, `not run: ${why}`);
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

// ---- JupyterLab / Notebook 7 helpers (both are built from the same Lumino widgets) ------------
const NOTEBOOK = '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook';

function cells(page) {
  return page.locator(`${NOTEBOOK} .jp-Cell`);
}

function cellOutputs(page, index) {
  return cells(page).nth(index).locator('.jp-OutputArea-output');
}

async function cellText(page, index) {
  return cells(page).nth(index).locator('.cm-content').evaluate((el) => {
    const lines = [...el.querySelectorAll('.cm-line')].map((l) => l.textContent);
    return lines.length ? lines.join('\n') : el.textContent;
  });
}

async function kernelIdle(page, timeout = KERNEL_TIMEOUT) {
  // The toolbar's execution indicator (Lab 4 and Notebook 7) carries the kernel status.
  await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status="idle"]')
    .first().waitFor({ timeout });
}

// Puts `code` into cell `index` as typed text: each line inserted into CodeMirror 6 as input,
// with real Enter key presses between lines.
// Auto-indent is undone line by line so the source is exactly `code`.
async function typeIntoCell(page, index, code) {
  const editor = cells(page).nth(index).locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) {
      await page.keyboard.press('Enter');
      // Remove whatever indentation CodeMirror inserted for the new line.
      await page.keyboard.press('Shift+Home');
      const selected = await page.evaluate(() => String(window.getSelection()));
      if (selected.length > 0 && selected.trim() === '') await page.keyboard.press('Delete');
    }
    if (lines[i]) await page.keyboard.insertText(lines[i]);
  }
  const got = await cellText(page, index);
  assert(got === code, `cell ${index} reads ${JSON.stringify(got)} after typing ${JSON.stringify(code)}`);
}

// Types `code` into cell `index` key by key, Enter included, as a user does: the editor's own
// indentation and bracket handling stay. Returns the cell's text as the editor then holds it.
async function typeAsUser(page, index, code) {
  const editor = cells(page).nth(index).locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  const lines = code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(lines[i]);
  }
  return cellText(page, index);
}

// The index of an empty cell at the end of the notebook: the one Shift+Enter left, or a new one.
async function emptyLastCell(page) {
  let idx = (await cells(page).count()) - 1;
  if ((await cellText(page, idx)) !== '') {
    await cells(page).nth(idx).locator('.cm-content').click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await page.waitForFunction(([sel, count]) => document.querySelectorAll(sel).length === count + 1, [`${NOTEBOOK} .jp-Cell`, idx + 1]);
    idx += 1;
  }
  return idx;
}

// Runs the active cell with Shift+Enter (the cursor moves on to the next cell, created if needed).
async function runCell(page, index) {
  await cells(page).nth(index).locator('.cm-content').click();
  await page.keyboard.press('Shift+Enter');
}

// Menu bar -> item, both by their visible labels (as a user would).
async function clickMenu(page, menuLabel, itemLabel) {
  await page.locator('.lm-MenuBar-item', { hasText: new RegExp(`^${menuLabel}$`) }).first().click();
  const item = page.locator('.lm-Menu:not(.lm-mod-hidden) .lm-Menu-item:not(.lm-mod-disabled)')
    .filter({ has: page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${itemLabel}$`) }) }).first();
  await item.waitFor({ timeout: UI_TIMEOUT });
  await item.click();
}

async function api(method, urlPath) {
  const res = await fetch(`${BASE}${urlPath}`, { method, headers: { Authorization: `token ${TOKEN}` } });
  if (!res.ok) throw new Error(`${method} ${urlPath}: HTTP ${res.status}`);
  return res.status === 204 ? null : res.json();
}

// Records, inside the page, every change to cell `index`'s outputs: which output element holds
// the %%hpc status line (by identity), its text, and the stream text so far, with timestamps.
async function recordOutputs(page, index) {
  const cell = await cells(page).nth(index).elementHandle();
  await cell.evaluate((el, states) => {
    const area = el.querySelector('.jp-Cell-outputArea, .jp-OutputArea');
    const log = [];
    let nextId = 1;
    const ids = new WeakMap();
    const snap = () => {
      const outs = [...area.querySelectorAll('.jp-OutputArea-output')];
      const status = outs.find((o) => /\bjob\b/.test(o.textContent) && new RegExp(`PENDING|RUNNING|UNKNOWN|${states}`).test(o.textContent));
      if (status && !ids.has(status)) ids.set(status, nextId++);
      const stream = outs.filter((o) => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stdout')
        .map((o) => o.textContent).join('');
      const entry = {
        t: performance.now(),
        statusNode: status ? ids.get(status) : null,
        status: status ? status.textContent.trim() : null,
        stream,
      };
      const last = log[log.length - 1];
      if (!last || last.status !== entry.status || last.stream !== entry.stream || last.statusNode !== entry.statusNode) log.push(entry);
    };
    const obs = new MutationObserver(snap);
    obs.observe(area, { childList: true, subtree: true, characterData: true });
    el.__hpcLog = log;
    el.__hpcObserver = obs;
  }, TERMINAL);
  return {
    async log() {
      return cell.evaluate((el) => el.__hpcLog);
    },
    async stop() {
      await cell.evaluate((el) => el.__hpcObserver.disconnect());
    },
  };
}

function statusOutput(page, index) {
  return cellOutputs(page, index).filter({ hasText: /\bjob\b/ }).first();
}

// Waits for cell `index` to show its %%hpc status line and returns it; fails at once if the cell
// shows an error instead (e.g. the kernel rejected the magic) rather than waiting out the timeout.
async function waitForStatusLine(page, index) {
  const cell = await cells(page).nth(index).elementHandle();
  const what = await page.waitForFunction((el) => {
    const outs = [...el.querySelectorAll('.jp-OutputArea-output')];
    if (outs.some((o) => /\bjob\b/.test(o.textContent))) return 'status';
    const err = outs.find((o) => o.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr');
    return err ? `error: ${err.textContent.trim().slice(0, 200)}` : false;
  }, cell, { timeout: JOB_TIMEOUT }).then((h) => h.jsonValue());
  assert(what === 'status', `no status line, the cell shows an ${what}`);
  return statusOutput(page, index);
}

// ---- the test -------------------------------------------------------------------------------
async function main() {
  fs.mkdirSync(ART, { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpc-ui-chromium-'));
  const headed = process.env.UI_HEADED === '1';
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: !headed,
    args: [
      ...(headed ? [] : ['--headless']),
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  const t0 = Date.now();
  let notebookPath = null;
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.on('console', (m) => consoleLog.push(`[lab ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLog.push(`[lab pageerror] ${e.message}`));

    // 1. Launcher: a "Java (HPC)" notebook tile whose logo image loads.
    // The tile by its title; if several kernelspecs share the display name, the one whose logo is
    // this kernelspec's.
    const titled = page.locator(`.jp-LauncherCard[data-category="Notebook"][title="${DISPLAY_NAME}"]`);
    const ours = titled.filter({ has: page.locator(`img[src*="/kernelspecs/${KERNEL_NAME}/"]`) });
    let card = titled.first();
    const launcherOk = await check(`launcher shows the ${DISPLAY_NAME} tile with its logo`, page, async () => {
      await page.goto(`${BASE}/lab?reset&token=${TOKEN}`);
      await card.waitFor({ timeout: 60_000 });
      if ((await ours.count()) > 0) card = ours.first();
      const img = card.locator('img.jp-Launcher-kernelIcon, img').first();
      await img.waitFor({ timeout: UI_TIMEOUT });
      await page.waitForFunction((el) => el.complete, await img.elementHandle(), { timeout: UI_TIMEOUT });
      const info = await img.evaluate((el) => ({ src: el.getAttribute('src'), w: el.naturalWidth, h: el.naturalHeight }));
      assert(info.src && info.src.includes(`/kernelspecs/${KERNEL_NAME}/`), `logo src ${info.src} is not the ${KERNEL_NAME} kernelspec's`);
      assert(info.w > 0 && info.h > 0, `logo ${info.src} did not load (naturalWidth ${info.w})`);
      // The PNG logos of the kernelspec are served too (older frontends use them).
      for (const logo of ['logo-64x64.png', 'logo-32x32.png']) {
        const res = await page.request.get(`${BASE}/kernelspecs/${KERNEL_NAME}/${logo}?token=${TOKEN}`);
        assert(res.ok() && (res.headers()['content-type'] || '').includes('image/png'), `${logo}: HTTP ${res.status()}`);
      }
      await card.hover(); // the tile under test is the raised one in the screenshot
      await shot(page, 'launcher');
      return `logo ${info.src} ${info.w}x${info.h}`;
    });

    // 2. A new notebook with that kernel runs a Java cell.
    let notebookOk = false;
    if (launcherOk) {
      notebookOk = await check('new notebook runs a Java cell (1 + 1 -> 2)', page, async () => {
        await card.click();
        await page.locator(NOTEBOOK).first().waitFor({ timeout: UI_TIMEOUT });
        await page.waitForURL(/\/lab\/tree\/.+\.ipynb/, { timeout: UI_TIMEOUT });
        notebookPath = decodeURIComponent(new URL(page.url()).pathname.replace(/^.*\/lab\/tree\//, ''));
        await page.waitForFunction((n) => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName')]
          .some((e) => e.textContent.trim() === n), DISPLAY_NAME, { timeout: KERNEL_TIMEOUT });
        await kernelIdle(page);
        await typeIntoCell(page, 0, JAVA_CELL);
        await runCell(page, 0);
        const result = cellOutputs(page, 0).filter({ hasText: /^\s*2\s*$/ }).first();
        await result.waitFor({ timeout: KERNEL_TIMEOUT });
        await kernelIdle(page);
        await shot(page, 'java-cell');
        const prompt = (await cells(page).nth(0).locator('.jp-InputArea-prompt').textContent()).trim();
        const sessions = await api('GET', '/api/sessions');
        const session = sessions.find((x) => x.path === notebookPath);
        assert(session && session.kernel.name === KERNEL_NAME, `session of ${notebookPath}: ${JSON.stringify(session && session.kernel)}`);
        return `${notebookPath}, kernel ${KERNEL_NAME} "${DISPLAY_NAME}", prompt ${prompt}`;
      });
    } else {
      skip('new notebook runs a Java cell (1 + 1 -> 2)', 'no launcher tile');
    }

    // 3. A %%hpc cell: a status line updated in place, output lines while RUNNING, COMPLETED.
    const hpcChecks = [
      '%%hpc status line shows the job RUNNING and updates in place',
      '%%hpc output lines arrive while the job is RUNNING',
      '%%hpc job ends COMPLETED',
    ];
    if (notebookOk) {
      let log = [];
      let typed = false;
      await check(hpcChecks[0], page, async () => {
        await kernelIdle(page);
        await typeIntoCell(page, 1, HPC_CELL);
        typed = true;
        const rec = await recordOutputs(page, 1);
        await runCell(page, 1);
        const status = await waitForStatusLine(page, 1);
        // Mid-run (for the screenshot): RUNNING for a second or more with "line 1" shown, or the
        // job already over (then the assertions below on the recorded timeline tell what happened).
        await page.waitForFunction(
          ([cell, st]) => new RegExp(`(${st})`).test(cell.textContent) ||
            (/line 1/.test(cell.textContent) && [...cell.querySelectorAll('.jp-OutputArea-output')]
              .some((o) => /RUNNING/.test(o.textContent) && /\b\d+:0[1-9]\b/.test(o.textContent))),
          [await cells(page).nth(1).elementHandle(), TERMINAL], { timeout: JOB_TIMEOUT },
        );
        await shot(page, 'hpc-running');
        await page.waitForFunction(([el, st]) => new RegExp(`(${st})`).test(el.textContent),
          [await status.elementHandle(), TERMINAL], { timeout: JOB_TIMEOUT });
        await kernelIdle(page, JOB_TIMEOUT);
        await rec.stop();
        log = await rec.log();
        fs.writeFileSync(path.join(ART, 'hpc-cell-timeline.json'), JSON.stringify(log, null, 1));
        const running = log.filter((e) => e.status && /RUNNING/.test(e.status));
        assert(running.length > 0, 'the status line never said RUNNING');
        assert(/\bjob\b/.test(running[0].status), `status line "${running[0].status}" does not mention the job`);
        const nodes = new Set(log.filter((e) => e.status).map((e) => e.statusNode));
        assert(nodes.size === 1, `the status line was ${nodes.size} different output elements (expected one, updated in place)`);
        const clocks = [...new Set(running.map((e) => (e.status.match(/(\d+:\d\d)(?!.*\d+:\d\d)/) || [])[1]).filter(Boolean))];
        assert(clocks.length >= 2, `the RUNNING status line's elapsed time never changed (${clocks.join(', ') || 'none'})`);
        const outCount = await cellOutputs(page, 1).filter({ hasText: /\bjob\b/ }).count();
        assert(outCount === 1, `${outCount} status lines in the cell`);
        return `one element, elapsed ${clocks[0]} -> ${clocks[clocks.length - 1]} over ${running.length} RUNNING updates`;
      });
      if (typed) {
        await check(hpcChecks[1], page, async () => {
          assert(log.length > 0, 'no output timeline recorded');
          const early = log.find((e) => /line 1/.test(e.stream) && e.status && /RUNNING/.test(e.status));
          assert(early, `no moment with "line 1" shown while the status said RUNNING (timeline in hpc-cell-timeline.json)`);
          const end = log.find((e) => e.status && /COMPLETED/.test(e.status));
          const linesBeforeEnd = (early.stream.match(/line \d/g) || []).length;
          return `"line 1" shown with status "${early.status}"` +
            (end ? `, ${((end.t - early.t) / 1000).toFixed(1)}s before COMPLETED` : '') + `, ${linesBeforeEnd} line(s) then`;
        });
        await check(hpcChecks[2], page, async () => {
          assert(log.some((e) => e.status), 'no status line was ever shown');
          const text = (await statusOutput(page, 1).textContent()).trim();
          assert(/COMPLETED/.test(text), `final status line: "${text}"`);
          const stream = (await cellOutputs(page, 1).filter({ hasText: /line 1/ }).first().textContent()).trim();
          const want = [1, 2, 3, 4, 5, 6].map((i) => `line ${i}`).join('\n');
          assert(stream === want, `stdout is ${JSON.stringify(stream)}`);
          await shot(page, 'hpc-completed');
          return `"${text}"`;
        });
      } else {
        skip(hpcChecks[1], 'the %%hpc cell could not be typed');
        skip(hpcChecks[2], 'the %%hpc cell could not be typed');
      }
    } else {
      for (const c of hpcChecks) skip(c, 'no notebook');
    }

    // 4. Interrupt (toolbar ■) during a long %%hpc job cancels it.
    const interruptName = 'interrupt (toolbar) cancels a running %%hpc job';
    let longCell = -1;
    if (notebookOk) {
      await check(interruptName, page, async () => {
        await kernelIdle(page, JOB_TIMEOUT);
        longCell = (await cells(page).count()) - 1; // the empty cell Shift+Enter left at the end
        await typeIntoCell(page, longCell, LONG_CELL);
        await runCell(page, longCell);
        const status = await waitForStatusLine(page, longCell);
        await page.waitForFunction(([el, st]) => new RegExp(`RUNNING|${st}`).test(el.textContent),
          [await status.elementHandle(), TERMINAL], { timeout: JOB_TIMEOUT });
        const before = (await status.textContent()).trim();
        assert(/RUNNING/.test(before), `the job was not RUNNING before the interrupt: "${before}"`);
        await page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) [data-command="notebook:interrupt-kernel"]').first().click();
        const error = cellOutputs(page, longCell).filter({ hasText: /cancel/i })
          .and(page.locator('[data-mime-type="application/vnd.jupyter.stderr"]')).first();
        await error.waitFor({ timeout: JOB_TIMEOUT });
        await page.waitForFunction(([el, st]) => new RegExp(st).test(el.textContent),
          [await status.elementHandle(), TERMINAL], { timeout: JOB_TIMEOUT });
        assert(/CANCELLED/.test(await status.textContent()), `status line after the interrupt: "${(await status.textContent()).trim()}"`);
        await kernelIdle(page, JOB_TIMEOUT);
        const errText = (await error.textContent()).trim().split('\n')[0];
        const after = (await status.textContent()).trim();
        await shot(page, 'hpc-interrupted');
        return `"${before}" -> "${after}"; error "${errText.slice(0, 140)}"`;
      });
    } else {
      skip(interruptName, 'no notebook');
    }

    // 4b. %%hpc cells typed as a user types them (shell, Python, Java) run to COMPLETED.
    for (const [label, code, expected] of TYPED_CELLS) {
      const name = `a ${label} %%hpc cell typed with the keyboard runs to COMPLETED`;
      if (!notebookOk) {
        skip(name, 'no notebook');
        continue;
      }
      await check(name, page, async () => {
        await kernelIdle(page, JOB_TIMEOUT);
        const idx = await emptyLastCell(page);
        const typed = await typeAsUser(page, idx, code);
        const want = code.split('\n');
        const got = typed.split('\n');
        assert(got.length === want.length && got.every((l, i) => l.trim() === want[i]),
          `the editor holds ${JSON.stringify(typed)} after typing ${JSON.stringify(code)}`);
        const indented = got.filter((l) => /^\s/.test(l)).length;
        await runCell(page, idx);
        const status = await waitForStatusLine(page, idx);
        await page.waitForFunction(([el, st]) => new RegExp(st).test(el.textContent),
          [await status.elementHandle(), TERMINAL], { timeout: JOB_TIMEOUT });
        await kernelIdle(page, JOB_TIMEOUT);
        const final = (await status.textContent()).trim();
        const all = (await cells(page).nth(idx).locator('.jp-OutputArea').first().textContent()).trim();
        assert(/COMPLETED/.test(final), `status line "${final}"; cell output: ${JSON.stringify(all.slice(0, 300))}`);
        assert(all.includes(expected), `no ${JSON.stringify(expected)} in the cell's output: ${JSON.stringify(all.slice(0, 300))}`);
        await shot(page, `typed-${label.toLowerCase()}`);
        return `typed as ${JSON.stringify(typed)} (${indented} indented line(s)), "${final}"`;
      });
    }

    // 5. Tab completion of a %%hpc option.
    const completeName = 'Tab completes "%%hpc --par" to --partition';
    if (notebookOk) {
      await check(completeName, page, async () => {
        await kernelIdle(page, JOB_TIMEOUT);
        // The empty cell Shift+Enter left at the end, or a new one (Escape: command mode, b: below).
        const idx = await emptyLastCell(page);
        await typeIntoCell(page, idx, COMPLETE_PREFIX);
        await page.keyboard.press('End');
        await page.keyboard.press('Tab');
        // One match: JupyterLab inserts it at once; several: a completer list to pick from.
        const completer = page.locator('.jp-Completer:not(.lm-mod-hidden)');
        const done = await Promise.race([
          page.waitForFunction(([sel, i]) => /--partition/.test(document.querySelectorAll(sel)[i].querySelector('.cm-content').textContent),
            [`${NOTEBOOK} .jp-Cell`, idx], { timeout: UI_TIMEOUT }).then(() => 'inserted'),
          completer.locator('.jp-Completer-item', { hasText: '--partition' }).first().waitFor({ timeout: UI_TIMEOUT }).then(() => 'listed'),
        ]);
        await shot(page, 'completion');
        let how = done;
        if (done === 'listed') {
          const items = (await completer.locator('.jp-Completer-item').allTextContents()).map((t) => t.trim());
          const active = (await completer.locator('.jp-Completer-item.jp-mod-active').first().textContent()).trim();
          assert(active === '--partition', `completer offers ${JSON.stringify(items)} with ${active} selected`);
          await page.keyboard.press('Enter');
          how = `offered ${JSON.stringify(items)}, accepted with Enter`;
        }
        const text = await cellText(page, idx);
        assert(text === '%%hpc --partition', `cell reads ${JSON.stringify(text)} after completing`);
        await shot(page, 'completion-inserted');
        return how;
      });
    } else {
      skip(completeName, 'no notebook');
    }

    // 5b. Tab completes a name the cell itself declares (not run yet); the list shows each kind.
    const sameCellName = 'Tab completes a variable declared earlier in the same cell, kinds shown';
    if (notebookOk) {
      await check(sameCellName, page, async () => {
        await kernelIdle(page, JOB_TIMEOUT);
        const idx = await emptyLastCell(page);
        const code = 'String word = "abc";\nword.is';
        await typeIntoCell(page, idx, code);
        await page.keyboard.press('End');
        await page.keyboard.press('Tab');
        const completer = page.locator('.jp-Completer:not(.lm-mod-hidden)');
        await completer.locator('.jp-Completer-item', { hasText: 'isEmpty' }).first().waitFor({ timeout: UI_TIMEOUT });
        const items = await completer.locator('.jp-Completer-item').evaluateAll((els) => els.map((e) => ({
          label: (e.querySelector('.jp-Completer-match') || e).textContent.trim(),
          type: ((e.querySelector('.jp-Completer-typeExtended') || {}).textContent || '').trim(),
        })));
        await shot(page, 'completion-same-cell');
        const labels = items.map((i) => i.label);
        assert(labels.some((l) => l.startsWith('isEmpty')) && labels.some((l) => l.startsWith('isBlank')), `offered ${JSON.stringify(labels)}`);
        assert(items.every((i) => /method/.test(i.type)), `kinds shown: ${JSON.stringify(items)}`);
        await page.keyboard.press('Escape');
        return `offered ${JSON.stringify(items)}`;
      });
    } else {
      skip(sameCellName, 'no notebook');
    }

    // 6. Save: drop the interrupt and completion cells (so "Run All" stays short), save.
    const saveName = 'notebook saved from JupyterLab';
    let saved = false;
    if (notebookOk) {
      saved = await check(saveName, page, async () => {
        await kernelIdle(page, JOB_TIMEOUT);
        while ((await cells(page).count()) > 2) {
          const n = await cells(page).count();
          await cells(page).nth(n - 1).locator('.jp-InputPrompt').first().click();
          await page.keyboard.press('Escape');
          await page.keyboard.press('d');
          await page.keyboard.press('d');
          await page.waitForFunction(([sel, count]) => document.querySelectorAll(sel).length < count, [`${NOTEBOOK} .jp-Cell`, n]);
        }
        // First save of an Untitled notebook: JupyterLab asks for a name ("Rename and Save").
        await page.keyboard.press('Control+s');
        const dialog = page.locator('.jp-Dialog');
        const dirtyTab = page.locator('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty');
        const first = await Promise.race([
          dialog.waitFor({ timeout: UI_TIMEOUT }).then(() => 'dialog'),
          dirtyTab.waitFor({ state: 'detached', timeout: UI_TIMEOUT }).then(() => 'saved'),
        ]);
        if (first === 'dialog') {
          await dialog.locator('input[type="text"], input:not([type])').first().fill(SAVED_NAME);
          await shot(page, 'lab-save-as');
          await dialog.locator('.jp-Dialog-button.jp-mod-accept').click();
          await page.waitForURL((u) => u.pathname.endsWith(`/${SAVED_NAME}`), { timeout: UI_TIMEOUT });
          notebookPath = SAVED_NAME;
        }
        await dirtyTab.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
        let model = null;
        for (let i = 0; i < 100; i++) {
          model = await api('GET', `/api/contents/${encodeURIComponent(notebookPath)}?content=1`);
          const src = model.content.cells.map((c) => c.source);
          if (src.length === 2 && src[0] === JAVA_CELL && src[1] === HPC_CELL) break;
          await new Promise((r) => setTimeout(r, 200)); // polling the server's copy of the file
        }
        const nb = model.content;
        const src = nb.cells.map((c) => c.source);
        assert(src.length === 2 && src[0] === JAVA_CELL && src[1] === HPC_CELL, `saved cells: ${JSON.stringify(src)}`);
        assert(nb.metadata.kernelspec && nb.metadata.kernelspec.name === KERNEL_NAME, `saved kernelspec ${JSON.stringify(nb.metadata.kernelspec)}`);
        const out0 = JSON.stringify(nb.cells[0].outputs);
        assert(out0.includes('"2"'), `saved outputs of cell 1: ${out0.slice(0, 200)}`);
        await shot(page, 'lab-saved');
        return `${notebookPath}: ${src.length} cells, kernelspec ${nb.metadata.kernelspec.name}, language ${nb.metadata.language_info && nb.metadata.language_info.name}`;
      });
    } else {
      skip(saveName, 'no notebook');
    }
    fs.writeFileSync(path.join(ART, 'browser-console-lab.log'), consoleLog.join('\n') + '\n');

    // 7. The same notebook in Notebook 7 (same server), with a fresh kernel: Run All -> 2.
    const nb7Name = 'Notebook 7 opens the saved notebook and Run All gives 2';
    const nb7HpcName = 'Notebook 7 runs the %%hpc cell to COMPLETED';
    if (saved) {
      await page.close();
      for (const s of await api('GET', '/api/sessions')) await api('DELETE', `/api/sessions/${s.id}`);
      const nb7 = await context.newPage();
      const nb7Console = [];
      nb7.on('console', (m) => nb7Console.push(`[nb7 ${m.type()}] ${m.text()}`));
      nb7.on('pageerror', (e) => nb7Console.push(`[nb7 pageerror] ${e.message}`));
      const ok = await check(nb7Name, nb7, async () => {
        await nb7.goto(`${BASE}/notebooks/${notebookPath.split('/').map(encodeURIComponent).join('/')}?token=${TOKEN}`);
        await nb7.locator(NOTEBOOK).first().waitFor({ timeout: 60_000 });
        assert(await nb7.locator('#main-panel, .jp-NotebookPanel').count() > 0, 'no notebook panel');
        const kernelName = nb7.locator('.jp-KernelName').first();
        await nb7.waitForFunction((n) => [...document.querySelectorAll('.jp-KernelName')].some((e) => e.textContent.trim() === n),
          DISPLAY_NAME, { timeout: KERNEL_TIMEOUT });
        await kernelIdle(nb7);
        assert(await cells(nb7).count() === 2, `${await cells(nb7).count()} cells in Notebook 7`);
        // Clear the outputs saved from JupyterLab, so the 2 seen below is a new one.
        await clickMenu(nb7, 'Edit', 'Clear Outputs of All Cells');
        await nb7.waitForFunction((sel) => document.querySelectorAll(sel).length === 0, `${NOTEBOOK} .jp-OutputArea-output`);
        await clickMenu(nb7, 'Run', 'Run All Cells');
        await cellOutputs(nb7, 0).filter({ hasText: /^\s*2\s*$/ }).first().waitFor({ timeout: KERNEL_TIMEOUT });
        await shot(nb7, 'notebook7-run-all');
        return `kernel "${(await kernelName.textContent()).trim()}" at ${nb7.url().replace(/token=[^&]+/, 'token=…')}`;
      });
      if (ok) {
        await check(nb7HpcName, nb7, async () => {
          const status = await waitForStatusLine(nb7, 1);
          await nb7.waitForFunction(([el, st]) => new RegExp(st).test(el.textContent),
            [await status.elementHandle(), TERMINAL], { timeout: JOB_TIMEOUT });
          assert(/COMPLETED/.test(await status.textContent()), `status line: "${(await status.textContent()).trim()}"`);
          await cellOutputs(nb7, 1).filter({ hasText: /line 6/ }).first().waitFor({ timeout: UI_TIMEOUT });
          await kernelIdle(nb7, JOB_TIMEOUT);
          await shot(nb7, 'notebook7-hpc-completed');
          // Leave the file as Notebook 7 ran it (also proves saving from Notebook 7 works).
          await nb7.keyboard.press('Control+s');
          return `"${(await status.textContent()).trim()}"`;
        });
      } else {
        skip(nb7HpcName, 'Notebook 7 check failed');
      }
      fs.writeFileSync(path.join(ART, 'browser-console-notebook7.log'), nb7Console.join('\n') + '\n');
    } else {
      skip(nb7Name, 'nothing saved');
      skip(nb7HpcName, 'nothing saved');
    }
  } finally {
    // Stop kernels started here; the server itself is run.sh's.
    try {
      for (const s of await api('GET', '/api/sessions')) await api('DELETE', `/api/sessions/${s.id}`);
    } catch (e) {
      console.log(`  (session cleanup: ${e.message})`);
    }
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok);
  console.log(`UI checks: ${results.length - failed.length} passed, ${failed.length} failed, ${((Date.now() - t0) / 1000).toFixed(1)}s` +
    ` (screenshots in ${path.relative(process.cwd(), ART) || ART})`);
  return failed.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  console.error(`FAIL ui-test.js crashed: ${e.stack || e}`);
  process.exit(1);
});
