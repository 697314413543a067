// The HTML report in a real browser: each fixture page is rendered by headless Chromium (Debian's `chromium`) at
// a laptop (1366×900) and a phone (390×844) width, must run its script without a console message or error, and
// leaves its screenshots in test-artifacts/html/ (gitignored) — with picture-only shots of a few stories, the
// ones docs/html-report.md shows. Skips, saying so, where Chromium is not installed (CI has none).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { collectScenes } from '../src/report/html/collect.js';
import { renderHtml } from '../src/report/html.js';
import { syntheticReport, TYPICAL } from './html-synthetic.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** GWCHECK_SKIP_BROWSER=1 skips them even where Chromium is installed (they take a minute or two of a busy machine). */
const SKIP = Boolean(process.env.GWCHECK_SKIP_BROWSER);
const HAVE = existsSync(CHROMIUM) && !SKIP;
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'test-artifacts/html');
const FIXTURES = [
  'anycast-shared-mac-blackhole',
  'anycast-unique-macs-one-gateway',
  'anycast-hsrp-all-active',
  'vxlan-arp-unanswered',
  'evpn-mac-move-stale',
  'evpn-mac-flapping',
  'evpn-sticky-mac-stolen',
  'clean-hsrp-vrrp',
];
const SIZES = { laptop: '1366,900', phone: '390,844' } as const;
/** The fixtures whose pictures are also shot alone (docs/img/ comes from these). */
const PICTURES = ['anycast-shared-mac-blackhole', 'evpn-mac-move-stale', 'anycast-hsrp-all-active', 'anycast-unique-macs-one-gateway'];

if (!HAVE) {
  console.warn(`skipping the browser tests of the HTML report: ${SKIP ? 'GWCHECK_SKIP_BROWSER is set' : `${CHROMIUM} not found (apt-get install chromium)`}`);
}

const profile = HAVE ? mkdtempSync(join(tmpdir(), 'gwcheck-chromium-')) : '';
afterAll(() => {
  if (profile) rmSync(profile, { recursive: true, force: true });
});

interface Run {
  dom: string;
  console: string[];
  ms: number;
}

/** One headless run: the DOM after the scripts ran, the console lines, and a screenshot. */
function chromium(page: string, png: string, size: string, extra: string[] = []): Promise<Run> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    `--user-data-dir=${profile}-${size.replace(',', 'x')}`,
    '--enable-logging=stderr',
    '--v=0',
    '--dump-dom',
    ...extra,
    ...(png.endsWith('.pdf') ? [`--print-to-pdf=${png}`, '--no-pdf-header-footer'] : [`--screenshot=${png}`]),
    `--window-size=${size}`,
    'file://' + page,
  ];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let dom = '';
    let err = '';
    child.stdout.on('data', (d) => (dom += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ dom, console: err.split('\n').filter((l) => /:CONSOLE[:(]/.test(l)), ms: Date.now() - started });
    });
  });
}

function expectClean(run: Run, png: string): void {
  expect(run.console, 'console messages').toEqual([]);
  expect(run.dom).toMatch(/<html[^>]* data-ready="1"/);
  expect(run.dom).not.toContain('data-errors=');
  expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
}

/** The page with only one finding's figure shown, sized to it: the shots the docs use. */
function pictureOnly(html: string, id: string): { html: string; size: string } {
  const at = html.indexOf(`id="f-${id}"`);
  const svg = /<svg class="pic [^"]*" width="(\d+)" height="(\d+)"/.exec(html.slice(at))!;
  const style = `<style>body>*:not(main):not(.defs),main>*:not(#f-${id}),#f-${id}>*:not(figure),figcaption{display:none!important}main{padding:0!important;max-width:none!important}.finding{border:0!important;margin:0!important;padding:0!important}figure{margin:0!important;display:inline-block}</style>`;
  // Headless Chromium has a minimum window height (about 150 px): below it the shot is cut.
  return { html: html.replace('</head>', style + '</head>'), size: `${Number(svg[1]) + 20},${Math.max(Number(svg[2]) + 20, 200)}` };
}

describe.skipIf(!HAVE)('HTML report in headless Chromium', () => {
  mkdirSync(OUT, { recursive: true });

  it.each(FIXTURES)('%s: renders at laptop and phone width without a console message', async (name) => {
    const report = await analyze([join('fixtures', `${name}.pcapng`)]);
    const html = renderHtml(report, await collectScenes(report));
    const page = join(OUT, `${name}.html`);
    writeFileSync(page, html);
    // One Chromium at a time: the suite shares two cores with the other test files.
    for (const [label, size] of Object.entries(SIZES)) {
      const png = join(OUT, `${name}-${label}.png`);
      expectClean(await chromium(page, png, size), png);
    }
    if (!PICTURES.includes(name)) return;
    for (const f of report.findings) {
      const only = pictureOnly(html, f.id);
      const picturePage = join(OUT, `${name}-${f.rule}-picture.html`);
      writeFileSync(picturePage, only.html);
      const png = join(OUT, `${name}-${f.rule}-picture.png`);
      expectClean(await chromium(picturePage, png, only.size), png);
    }
  }, 240_000);

  it('dark mode and print: the blackhole page in a dark scheme and printed to PDF', async () => {
    const report = await analyze(['fixtures/anycast-shared-mac-blackhole.pcapng']);
    const page = join(OUT, 'anycast-shared-mac-blackhole.html');
    writeFileSync(page, renderHtml(report, await collectScenes(report)));
    const dark = join(OUT, 'anycast-shared-mac-blackhole-dark.png');
    expectClean(await chromium(page, dark, SIZES.laptop, ['--force-dark-mode', '--blink-settings=preferredColorScheme=0']), dark);
    const pdf = join(OUT, 'anycast-shared-mac-blackhole.pdf');
    await chromium(page, pdf, SIZES.laptop);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  }, 240_000);

  it('a 1,000-finding page opens and runs its script', async () => {
    const { report, extras } = syntheticReport(1000, TYPICAL);
    const page = join(OUT, 'synthetic-1000.html');
    writeFileSync(page, renderHtml(report, extras));
    const png = join(OUT, 'synthetic-1000-laptop.png');
    const run = await chromium(page, png, SIZES.laptop);
    console.log(`1,000-finding page: headless Chromium load + screenshot in ${run.ms} ms`);
    expectClean(run, png);
    expect(run.dom).toContain('data-findings="1000"');
    // The tables left out of the HTML are built from the embedded JSON when opened: open them all.
    const opened = join(OUT, 'synthetic-1000-opened.html');
    const opener = `<script>document.querySelectorAll('details[data-lazy]').forEach(function(d){d.open=true})</script>`;
    writeFileSync(opened, readFileSync(page, 'utf8').replace('</body>', opener + '</body>'));
    const openedPng = join(OUT, 'synthetic-1000-opened.png');
    const filled = await chromium(opened, openedPng, SIZES.laptop, ['--virtual-time-budget=5000']);
    expectClean(filled, openedPng);
    expect(filled.dom).not.toContain('data-lazy=');
    const last = report.findings[999];
    const section = filled.dom.slice(filled.dom.indexOf(`id="f-${last.id}"`));
    expect(section).toContain(`<td>${last.evidence.items[0].role}</td>`);
    expect(section).toMatch(/<td class="num">\d+<\/td><td title="[^"]+">\+\d/);
  }, 240_000);
});
