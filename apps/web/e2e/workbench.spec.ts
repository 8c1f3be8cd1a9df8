import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, ROOT, readSeeded, startStack, type Stack } from './stack.js';

/**
 * The workbench in a real browser against the real API, worker, PostgreSQL and Redis:
 * the journeys of a prosecutor, two rule authors, a second prosecutor, an auditor and a
 * member of the public. Screenshots of the main pages go to docs/screenshots.
 */
const SHOTS = path.join(ROOT, 'docs/screenshots');
let stack: Stack;
const contexts: BrowserContext[] = [];
const figures: Record<string, number> = {};

async function signIn(username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await stack.browser.newContext({ viewport, acceptDownloads: true, timezoneId: 'Europe/London' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${stack.webUrl}/sign-in`);
  // Before anyone signs in the workbench speaks Russian, the default.
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(PASSWORD);
  await page.getByRole('button', { name: 'Войти' }).click();
  // The workbench opens in the language the person chose last; a journey that ended in
  // another language (or failed in it) must not change what the next one reads.
  const menu = page.locator('header nav[aria-label]').first();
  await menu.waitFor();
  if ((await menu.getAttribute('aria-label')) !== 'Main menu') await chooseLanguage(page, 'en');
  await page.getByRole('navigation', { name: 'Main menu' }).waitFor();
  return page;
}

/** The workbench's language menu, whatever language it is labelled in. */
const language = (page: Page) => page.locator('select').filter({ has: page.locator('option[value="kk"]') }).first();

/** Chooses the workbench's language and waits until the server saved it: the next sign-in or page load reads it back. */
async function chooseLanguage(page: Page, locale: 'ru' | 'kk' | 'en'): Promise<void> {
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/v1/me/locale') && r.ok()), language(page).selectOption(locale)]);
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });

/**
 * The rule editor's text. CodeMirror draws only the lines in view, so the DOM holds part of
 * a long rule; the text is read from the editor view that CodeMirror keeps on its content node.
 */
const editorText = (page: Page) =>
  page.locator('.rule-json-editor .cm-content').evaluate((el) => (el as unknown as { cmTile: { root: { view: { state: { doc: { toString(): string } } } } } }).cmTile.root.view.state.doc.toString());

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stack = await startStack();
}, 180_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await stack?.stop();
  if (Object.keys(figures).length > 0) console.log(`workbench figures ${JSON.stringify(figures)}`);
});

describe('the workbench in a browser', () => {
  let caseUrl = '';

  it('signs in, shows only the pages of the role, and refuses a wrong password in words', async () => {
    const context = await stack.browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/flags`);
    await page.waitForURL(/\/sign-in$/u);
    await page.getByLabel('Имя пользователя').fill('prosecutor');
    await page.getByLabel('Пароль').fill('wrong password');
    await page.getByRole('button', { name: 'Войти' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('Неверное имя пользователя или пароль.');

    const author = await signIn('author');
    const menu = author.getByRole('navigation', { name: 'Main menu' });
    expect(await menu.getByRole('link').allTextContents()).toEqual(['Rules']);
    await author.goto(`${stack.webUrl}/flags`);
    await author.getByRole('heading', { name: 'Not available' }).waitFor();
  });

  it('a prosecutor triages the queue by keyboard, reads a flag with its chart, opens a case and adds a note', async () => {
    const page = await signIn('prosecutor', { width: 1920, height: 1080 });
    // A fresh load of the queue: the time to its first rendered rows, as the browser measured it.
    await page.goto(`${stack.webUrl}/flags?rule=speed-downgrade`);
    await page.getByRole('table', { name: 'Flags' }).waitFor();
    figures['queueFirstRenderMs'] = Math.round(await page.evaluate(() => performance.getEntriesByName('qadaga:queue-rendered')[0]?.startTime ?? -1));
    expect(figures['queueFirstRenderMs']).toBeGreaterThan(0);
    expect(await page.getByRole('status').filter({ hasText: /flags? match/u }).textContent()).toMatch(/^[\d,]+ flags? match/u);
    await shot(page, 'queue');

    // The language follows the user: switch to Russian and back.
    await chooseLanguage(page, 'ru');
    await page.getByRole('heading', { name: 'Очередь сигналов' }).waitFor();
    await chooseLanguage(page, 'en');
    await page.getByRole('heading', { name: 'Flag queue' }).waitFor();

    const rows = page.getByRole('table', { name: 'Flags' }).getByRole('row');
    expect(await rows.count()).toBeGreaterThan(1);
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/flags\/[0-9a-f-]{36}$/u);
    const explanation = await page.getByLabel('Explanation').textContent();
    expect(explanation).toMatch(/^Officer OF-\d+ edited measured speeds \d+ times in \d+ days/u);
    // The chart is the fact the rule compared, with its limit drawn and every peer a bar.
    const chart = page.getByRole('figure', { name: 'Speeds recorded lower than measured, against peers' });
    await chart.waitFor();
    expect(await chart.locator('svg.recharts-surface').count()).toBe(1);
    expect(await chart.locator('.recharts-reference-line').count()).toBe(1);
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    const used = page.getByRole('table', { name: 'What the rule compared' });
    expect(await used.getByRole('row', { name: /Speeds recorded lower than measured/u }).textContent()).toMatch(/spreads from the peers.*above the limit/u);
    // Evidence by violation: each step in words, with a link to the violation.
    const firstViolation = page.getByRole('link', { name: /^Violation / }).first();
    expect(await firstViolation.getAttribute('href')).toMatch(/^\/violations\//u);
    expect(await page.getByRole('table', { name: /^Violation / }).first().getByRole('row').count()).toBeGreaterThan(1);

    // The same flag in Russian, as a prosecutor files it.
    await chooseLanguage(page, 'ru');
    await page.getByRole('heading', { name: 'Почему поднят сигнал' }).waitFor();
    expect(await page.getByRole('table', { name: 'Что сравнило правило' }).getByRole('row', { name: /Занижения скорости против коллег/u }).textContent()).toMatch(/выше порога/u);
    expect(await page.getByRole('table', { name: /^Нарушение / }).first().textContent()).toMatch(/сотрудник OF-\d+/u);
    await shot(page, 'flag-detail');

    // A title too short is refused in Kazakh, naming the field as the form does.
    await chooseLanguage(page, 'kk');
    const kkForm = page.getByRole('form', { name: 'Осы белгі бойынша іс ашу' });
    await kkForm.getByLabel('Іс атауы').fill('Іс');
    await kkForm.getByRole('button', { name: 'Іс ашу' }).click();
    const refused = await kkForm.getByRole('alert').textContent();
    expect(refused).toContain('Форма өрістерін түзетіңіз:');
    expect(refused).toContain('Іс атауы: кемінде 3 таңба');
    expect(refused).not.toMatch(/invalid body|characters/u);
    await chooseLanguage(page, 'en');
    await page.getByRole('heading', { name: 'Why it was raised' }).waitFor();

    const opening = page.getByRole('form', { name: 'Open a case from this flag' });
    await opening.getByLabel('Case title').fill('Speeds edited down to just under a band edge');
    await opening.getByRole('button', { name: 'Open case' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/u);
    caseUrl = page.url();
    await page.getByRole('heading', { name: /^C-\d{4}-\d+ · Speeds edited down to just under a band edge$/u }).waitFor();
    await page.getByLabel('Note', { exact: true }).fill('Peers in the same unit reject about 5%; asked the unit for the camera fault log.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('list', { name: 'Notes' }).getByText('asked the unit for the camera fault log').waitFor();

    const content = Buffer.from('camera fault log, unit 3\n');
    await page.getByLabel('Attach a file').setInputFiles({ name: 'fault-log.txt', mimeType: 'text/plain', buffer: content });
    const sha = createHash('sha256').update(content).digest('hex');
    await page.getByLabel(`SHA-256 ${sha}`).waitFor();
    await shot(page, 'case');
  });

  it('a prosecutor dismisses two flags at once with one reason', async () => {
    const page = await signIn('prosecutor');
    await page.goto(`${stack.webUrl}/flags`);
    const counts = page.getByRole('status').filter({ hasText: /flags? match/u });
    await page.getByRole('table', { name: 'Flags' }).waitFor();
    // Counts are written as numbers in the reader's locale (en: 1,234).
    const before = Number((await counts.textContent())?.match(/^([\d,]+)/u)?.[1]?.replaceAll(',', ''));
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByRole('region', { name: 'Actions on the selected flags' }).getByRole('button', { name: 'Dismiss' }).click();
    await page.getByRole('form', { name: 'Dismiss' }).getByLabel('Reason').fill('Camera 14 misread plates that week (fault act 22)');
    await page.getByRole('button', { name: 'Dismiss 2 flags' }).click();
    await page.getByText('2 flags dismissed.').waitFor();
    await page.getByText(`${(before - 2).toLocaleString('en-GB')} flags match`).waitFor();

    // Dates are typed as the app's language writes them, whatever the browser's is.
    await chooseLanguage(page, 'kk');
    const from = page.getByLabel('Бастап');
    expect(await from.getAttribute('placeholder')).toBe('кк.аа.жжжж');
    await from.fill('01.03.2026');
    await page.waitForURL(/from=2026-03-01/u);
    await chooseLanguage(page, 'en');
  });

  it('a rule author moves a threshold, sees the backtest change and submits; approving their own version is refused', async () => {
    const page = await signIn('author', { width: 1920, height: 1080 });
    await page.getByRole('link', { name: 'officer-outlier-rate' }).click();
    const summary = page.getByLabel('Backtest summary');
    await summary.waitFor({ timeout: 30_000 });
    const before = await summary.textContent();
    expect(before).toMatch(/Would flag \d+ subjects? of \d+ evaluated/u);
    // Both thresholds move: the backtest's 180 days end today and the city up to a week
    // earlier, and with some of those offsets the officers with fewer than 30 decisions are
    // outliers only at a looser false-discovery rate than the default.
    await page.getByRole('spinbutton', { name: 'minDecisions' }).fill('5');
    await page.getByRole('spinbutton', { name: 'alpha' }).fill('0.05');
    await page.waitForFunction((text) => document.querySelector('[aria-label="Backtest summary"]')?.textContent !== text, before, { timeout: 30_000 });
    const after = await summary.textContent();
    const flagged = (s: string | null) => Number(s?.match(/Would flag (\d+)/u)?.[1]);
    expect(flagged(after)).toBeGreaterThan(flagged(before));
    expect(after).toMatch(/Against published v1: [1-9]\d* added, 0 removed\./u);
    const json = await editorText(page);
    expect(json).toContain('"default": 5,');
    expect(json).toContain('"default": 0.05,');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft v2 saved.').waitFor();
    await page.getByRole('button', { name: 'Submit v2' }).click();
    await page.getByText('v2 submitted for approval.').waitFor();
    await page.getByRole('button', { name: 'Approve v2' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/another user must approve it/u);
  });

  it('another rule author approves and publishes the new version', async () => {
    const page = await signIn('author2');
    await page.goto(`${stack.webUrl}/rules/officer-outlier-rate`);
    await page.getByRole('button', { name: 'Approve v2' }).click();
    await page.getByText('v2 approved.').waitFor();
    await page.getByRole('button', { name: 'Publish v2' }).click();
    await page.getByText('v2 published.').waitFor();
    const versions = page.getByRole('table', { name: 'Versions' });
    expect(await versions.getByRole('row', { name: /v2 published/u }).count()).toBe(1);
    expect(await versions.getByRole('row', { name: /v1 retired/u }).count()).toBe(1);
  });

  it('closing a case takes a second prosecutor; the first is told why they cannot approve their own request', async () => {
    const first = await signIn('prosecutor');
    await first.goto(caseUrl);
    const request = first.getByRole('form', { name: 'Request closing' });
    await request.getByLabel('Outcome').selectOption('substantiated');
    await request.getByLabel('Reason').fill('Fault log shows no camera faults; the rejections have no ground');
    await request.getByRole('button', { name: 'Request closing' }).click();
    await first.getByRole('button', { name: 'Approve closing' }).click();
    expect(await first.getByRole('alert').textContent()).toContain('another person must approve it (four-eyes rule)');

    const second = await signIn('prosecutor2');
    await second.goto(caseUrl);
    await second.getByRole('region', { name: 'Closing request' }).getByText(/Aigerim Prosecutor asked to close as “substantiated”/u).waitFor();
    await second.getByRole('button', { name: 'Approve closing' }).click();
    await second.getByText('closed · substantiated').waitFor();
    await second.goto(`${stack.webUrl}/cases`);
    await second.getByRole('region', { name: 'closed' }).getByRole('link', { name: /Speeds edited down to just under a band edge/u }).waitFor();
    await shot(second, 'cases');
  });

  it('an auditor exports a case bundle, downloads it, and it verifies; the ledger verifies and shows its signed checkpoint', async () => {
    const page = await signIn('auditor');
    expect(await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link').allTextContents()).toEqual(['Flags', 'Cases', 'Ledger', 'Evidence bundles']);
    await page.goto(caseUrl);
    const exporting = page.getByRole('form', { name: 'Export evidence bundle' });
    await exporting.getByLabel('Why it is exported').fill('Court request 2-117/2026');
    await exporting.getByRole('button', { name: 'Export evidence bundle' }).click();
    const download = page.getByRole('button', { name: /^Download .+\.zip$/u });
    await download.waitFor({ timeout: 45_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    const saved = path.join(tmpdir(), `qadaga-e2e-${Date.now()}.zip`);
    await file.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 2).toString()).toBe('PK');

    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Evidence bundles' }).click();
    await page.getByLabel('Bundle file (.zip)').setInputFiles(saved);
    await page.getByText(/^The bundle is intact: every file matches the manifest, which the product's key [0-9a-f]{16} signed\.$/u).waitFor({ timeout: 30_000 });

    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Ledger' }).click();
    await page.getByRole('button', { name: 'Verify now' }).click();
    await page.getByText(/^Intact: [\d,]+ rows in \d+ chains checked, and held to \d+ signed checkpoints?\.$/u).waitFor({ timeout: 30_000 });
    await page.getByText(/^No integrity alarm: /u).waitFor();
    await page.getByRole('heading', { name: 'Latest signed checkpoint' }).waitFor();
    await page.getByText('Signature', { exact: true }).waitFor();
    await shot(page, 'ledger');
  });

  it('a prosecutor reads a roll-up in Kazakh: one flag per unit listing its violations, every open flag scored, every severity counted', async () => {
    const page = await signIn('prosecutor2', { width: 1600, height: 1000 });
    // The choice is saved on the server before the next page loads, which reads it back.
    await chooseLanguage(page, 'kk');
    // The first of the completeness roll-ups this city raised.
    let rule = '';
    for (const candidate of ['unreviewed-detection', 'confirmed-without-notice', 'notice-not-delivered', 'paid-without-treasury']) {
      await page.goto(`${stack.webUrl}/flags?rule=${candidate}`);
      const found = page.getByText(/^\d+ белгі табылды/u);
      await found.waitFor();
      if (!(await found.textContent())?.startsWith('0 ')) {
        rule = candidate;
        break;
      }
    }
    expect(rule).not.toBe('');
    const table = page.getByRole('table', { name: 'Белгілер' });
    await table.waitFor();
    const rows = table.getByRole('row');
    // One flag per unit or source system, not one per violation.
    expect(await rows.count()).toBeGreaterThan(1);
    expect(await rows.nth(1).textContent()).toMatch(/бөлімше|жүйе/u);
    // Every severity is counted beside its filter, whatever the first page holds.
    expect(await page.locator('.count').count()).toBe(4);
    await rows.nth(1).getByRole('button').first().click();
    await page.getByRole('heading', { name: 'Белгі неге көтерілді' }).waitFor();
    const violations = page.getByRole('link', { name: /^Бұзушылық / });
    await violations.first().waitFor();
    expect(await violations.count()).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: /^Бұзушылық / }).first().textContent()).toMatch(/тіркеді|расталды|қаулы жіберілді|төленді/u);
    // No open flag of the queue scores zero.
    await page.goto(`${stack.webUrl}/flags`);
    await page.getByRole('table', { name: 'Белгілер' }).locator('tbody tr td.num').first().waitFor();
    const scores = await page.getByRole('table', { name: 'Белгілер' }).locator('tbody tr td.num').allTextContents();
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.filter((score) => Number(score.replace(',', '.').replace(/\s/gu, '')) <= 0)).toEqual([]);
    await chooseLanguage(page, 'en');
  });

  it('a prosecutor comments on and assigns a flag in Kazakh, finds it under My work, and opens a case from the board', async () => {
    const page = await signIn('prosecutor', { width: 1440, height: 1000 });
    await chooseLanguage(page, 'kk');
    // A new flag from the end of the first page: the other journeys work from its top.
    await page.goto(`${stack.webUrl}/flags?status=new`);
    const queue = page.getByRole('table', { name: 'Белгілер' });
    await queue.locator('tbody tr').first().waitFor();
    await queue.locator('tbody tr').last().getByRole('button').first().click();
    await page.waitForURL(/\/flags\/[0-9a-f-]{36}$/u);
    const flagPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: 'Белгі неге көтерілді' }).waitFor();

    const comments = page.getByRole('form', { name: 'Пікір қосу' });
    await comments.getByLabel('Пікір').fill('Бөлімшеден ауысым кестесін сұрадым.');
    await comments.getByRole('button', { name: 'Пікір қосу' }).click();
    await page.getByRole('list', { name: 'Пікірлер' }).getByText('Бөлімшеден ауысым кестесін сұрадым.').waitFor();

    // Given to themself, due in ten days, the day typed as Kazakh writes it (кк.аа.жжжж).
    const due = new Date(Date.now() + 10 * 86_400_000 + 5 * 3_600_000);
    const [yyyy, mm, dd] = [due.getUTCFullYear(), String(due.getUTCMonth() + 1).padStart(2, '0'), String(due.getUTCDate()).padStart(2, '0')];
    const inKazakh = `${yyyy} ж. ${dd} ${['қаң.', 'ақп.', 'нау.', 'сәу.', 'мам.', 'мау.', 'шіл.', 'там.', 'қыр.', 'қаз.', 'қар.', 'жел.'][due.getUTCMonth()]}`;
    const assign = page.getByRole('form', { name: 'Белгіні тағайындау' });
    const me = (await assign.getByLabel('Жауапты').locator('option', { hasText: '(мен)' }).textContent()) ?? '';
    expect(me).toMatch(/\(мен\)$/u);
    await assign.getByLabel('Жауапты').selectOption({ label: me });
    const day = assign.getByLabel('Мерзімі');
    expect(await day.getAttribute('placeholder')).toBe('кк.аа.жжжж');
    await day.fill(`${dd}.${mm}.${yyyy}`);
    await assign.getByRole('button', { name: 'Сақтау' }).click();
    await assign.getByRole('status').filter({ hasText: 'Сақталды.' }).waitFor();
    const myName = me.replace(/ \(мен\)$/u, '');
    const assignment = page.getByRole('region', { name: 'Кім тексереді және қай мерзімге дейін' });
    await assignment.getByText(`Жауапты: ${myName}`, { exact: false }).waitFor();
    expect(await assignment.textContent()).toContain(`Мерзімі: ${inKazakh}`);
    // The history names what was done, in Kazakh.
    const history = await page.getByRole('heading', { name: 'Тарих' }).locator('xpath=following-sibling::ol').textContent();
    expect(history).toMatch(/пікір қосылды/u);
    expect(history).toMatch(new RegExp(`жауапты ауыстырылды\\s+→ ${myName}`, 'u'));
    await assignment.scrollIntoViewIfNeeded();
    await shot(page, 'flag-work');

    await page.getByRole('link', { name: 'Менің жұмысым' }).click();
    await page.getByRole('heading', { name: 'Менің жұмысым', level: 1 }).waitFor();
    const mine = page.getByRole('table', { name: /^Менің белгілерім/u });
    const row = mine.getByRole('row').filter({ has: page.locator(`a[href="${flagPath}"]`) });
    await row.waitFor();
    expect(await row.getByRole('cell').first().textContent()).toBe(`мерзімі ${inKazakh}`);
    await shot(page, 'my-work');

    // The board: a search that finds nothing says so; a new case from the board rests on a flag.
    await page.getByRole('link', { name: 'Істер', exact: true }).click();
    await page.getByRole('heading', { name: 'Істер', level: 1 }).waitFor();
    await page.getByLabel('Істерді іздеу').fill('жоқ-мұндай-іс');
    await page.getByText('«жоқ-мұндай-іс» бойынша іс табылмады.').waitFor();
    await page.getByLabel('Істерді іздеу').fill('');
    await page.getByRole('button', { name: 'Жаңа іс' }).click();
    const form = page.getByRole('form', { name: 'Жаңа іс' });
    const title = `Түнгі ауысымның жойылған айыппұлдары ${Date.now().toString(36)}`;
    await form.getByLabel('Іс атауы').fill(title);
    expect(await form.getByRole('note').textContent()).toContain('Іс кемінде бір белгі бойынша ашылады');
    await form.getByRole('button', { name: 'Іс ашу' }).click();
    const refused = (await form.getByRole('alert').textContent()) ?? '';
    expect(refused).toContain('Форма өрістерін түзетіңіз:');
    expect(refused).toContain('Іс ашылатын белгілер');
    expect(refused).not.toMatch(/at least|open a case/u);
    await form.getByRole('checkbox').first().check();
    await form.getByRole('button', { name: 'Іс ашу' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/u);
    await page.getByRole('heading', { name: new RegExp(`^C-\\d{4}-\\d+ · ${title}$`, 'u') }).waitFor();
    // The case's due date, set on its page in the same Kazakh day format.
    const caseDue = page.getByRole('form', { name: 'Іс мерзімі' });
    await caseDue.getByLabel('Мерзімі').fill(`${dd}.${mm}.${yyyy}`);
    await caseDue.getByRole('button', { name: 'Мерзімді белгілеу' }).click();
    await caseDue.getByRole('status').filter({ hasText: 'Сақталды.' }).waitFor();

    await page.getByRole('link', { name: 'Істер', exact: true }).click();
    await page.getByLabel('Істерді іздеу').fill('түнгі ауысымның');
    const found = page.getByRole('link', { name: new RegExp(`· ${title}$`, 'u') });
    await found.waitFor();
    expect(await found.count()).toBe(1);
  });

  it('a prosecutor adds a task to a case and prints the case report in Russian', async () => {
    const page = await signIn('prosecutor', { width: 1280, height: 900 });
    await chooseLanguage(page, 'ru');
    // A case of its own, opened from a flag as the first journey does.
    await page.goto(`${stack.webUrl}/flags?rule=speed-downgrade`);
    const queue = page.getByRole('table', { name: 'Сигналы' });
    await queue.waitFor();
    await queue.getByRole('button', { name: /^Открыть сигнал / }).first().click();
    await page.getByRole('heading', { name: 'Почему поднят сигнал' }).waitFor();
    const opening = page.getByRole('form', { name: 'Открыть дело по этому сигналу' });
    await opening.getByLabel('Название дела').fill('Занижение скорости у границы штрафного диапазона');
    await opening.getByRole('button', { name: 'Открыть дело' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/u);
    const heading = page.getByRole('heading', { level: 1, name: /^C-\d{4}-\d+ · Занижение скорости у границы штрафного диапазона$/u });
    await heading.waitFor();
    const caseHeading = await heading.textContent();
    const caseNumber = caseHeading?.match(/^(C-\d{4}-\d+) · /u)?.[1];
    expect(caseNumber).toBeDefined();

    // A task with a responsible prosecutor and a due date, typed as Russian writes a day.
    const due = new Date(Date.now() + 10 * 86_400_000);
    const dueText = `${String(due.getUTCDate()).padStart(2, '0')}.${String(due.getUTCMonth() + 1).padStart(2, '0')}.${due.getUTCFullYear()}`;
    const adding = page.getByRole('form', { name: 'Добавить задачу' });
    await adding.getByLabel('Что нужно сделать').fill('Запросить у подразделения журнал неисправностей камер');
    const owner = adding.getByLabel('Ответственный прокурор');
    await owner.locator('option').nth(1).waitFor({ state: 'attached' });
    // The picker marks the reader as themself; the task names them plainly.
    expect(await owner.locator('option', { hasText: '(я)' }).count()).toBe(1);
    const ownerName = ((await owner.locator('option').nth(1).textContent()) ?? '').replace(/ \(я\)$/u, '');
    await owner.selectOption({ index: 1 });
    await adding.getByLabel('Срок исполнения').fill(dueText);
    await adding.getByRole('button', { name: 'Добавить задачу' }).click();
    const tasks = page.getByRole('table', { name: 'Задачи' });
    const row = tasks.getByRole('row', { name: /Запросить у подразделения журнал неисправностей камер/u });
    await row.waitFor();
    expect(await row.textContent()).toContain(ownerName);
    expect(await row.textContent()).toContain('не выполнена');
    expect(await row.textContent()).toMatch(new RegExp(`${due.getUTCDate()} [а-я]+\\.? ${due.getUTCFullYear()}`, 'u'));
    await page.getByText(`поручил(а) задачу «Запросить у подразделения журнал неисправностей камер»: ${ownerName}`, { exact: false }).waitFor();
    await page.getByRole('heading', { name: /^Задачи/u }).scrollIntoViewIfNeeded();
    await shot(page, 'case-tasks');

    // Asking to close while the task is open: the warning is said before anything is sent.
    const closing = page.getByRole('form', { name: 'Запросить закрытие' });
    expect(await closing.getByRole('note', { name: 'Перед запросом на закрытие' }).textContent()).toContain('По делу не выполнена 1 задача.');
    await closing.getByLabel('Итог').selectOption('substantiated');
    await closing.getByLabel('Основание').fill('Журнал не подтвердил неисправность камер');
    await closing.getByRole('button', { name: 'Запросить закрытие' }).click();
    const refused = (await closing.getByRole('alert').textContent()) ?? '';
    expect(refused).toContain('Запрос на закрытие не отправлен.');
    expect(refused).toContain('не выполнена 1 задача');
    expect(await page.getByRole('region', { name: 'Запрос на закрытие' }).count()).toBe(0);

    // The report, in Russian, with the flag, its chart and the hashes that tie it to the ledger.
    await page.getByRole('link', { name: 'Распечатать отчёт' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}\/report$/u);
    await page.getByRole('heading', { level: 1, name: `Отчёт по делу ${caseNumber}` }).waitFor();
    const flag = page.getByRole('region', { name: /^Сигнал 1 из 1: / });
    await flag.waitFor();
    expect(await flag.getByRole('figure').count()).toBeGreaterThan(0);
    await flag.locator('svg.recharts-surface').first().waitFor();
    expect(await flag.locator('.recharts-reference-line').count()).toBeGreaterThan(0);
    const evidence = flag.getByRole('table', { name: /^События, на которых основан сигнал/u });
    const hashes = await evidence.locator('code.hash-full').allTextContents();
    expect(hashes.length).toBeGreaterThan(1);
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{64}$/u);
    expect(await page.getByRole('table', { name: 'Задачи' }).textContent()).toContain('Запросить у подразделения журнал неисправностей камер');
    expect(await page.getByRole('list', { name: 'Хронология' }).textContent()).toContain('открыл(а) дело «Занижение скорости у границы штрафного диапазона»');
    await page.getByRole('heading', { name: 'Последняя подписанная контрольная точка реестра' }).waitFor();
    expect(await page.getByText(/распечатал\(а\): /u).textContent()).toMatch(/^Сформирован .+, распечатал\(а\): .+$/u);
    await shot(page, 'case-report');

    // The Print button opens the browser's print dialog; printed, the menu bar is left out.
    await page.evaluate(() => {
      const w = window as Window & { printed?: number };
      w.printed = 0;
      w.print = () => {
        w.printed = (w.printed ?? 0) + 1;
      };
    });
    await page.getByRole('button', { name: 'Печать' }).click();
    expect(await page.evaluate(() => (window as Window & { printed?: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.topbar').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Печать' }).isVisible()).toBe(false);
    // Saved as PDF with the print layout (an emulated 'screen' would print the menu bar too).
    const pdf = path.join(tmpdir(), `qadaga-case-report-${Date.now()}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    await page.emulateMedia({ media: null });
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 4).toString()).toBe('%PDF');
    expect(bytes.length).toBeGreaterThan(20_000);
    figures['caseReportPdfBytes'] = bytes.length;
  });

  it('a prosecutor finds a vehicle by a look-alike spelling of its plate, in Russian', async () => {
    // A registered car of the seeded city with violations, whose letters all have Cyrillic twins.
    const [registered] = await readSeeded<{ plate_key: string }>(
      `SELECT ve.plate_key FROM vehicle ve WHERE ve.plate_key ~ '^[0-9]{3}[ABCEHKMOPTXY]{3}[0-9]{2}$'
         AND EXISTS (SELECT 1 FROM violation v WHERE v.plate_key = ve.plate_key) ORDER BY ve.plate_key LIMIT 1`,
    );
    const plate = registered?.plate_key ?? '';
    expect(plate).toMatch(/^\d{3}[A-Z]{3}\d{2}$/u);
    // As a clerk might type it: Cyrillic lower-case letters, the letter O for every zero, spaces.
    const cyrillic: Record<string, string> = { A: 'а', B: 'в', C: 'с', E: 'е', H: 'н', K: 'к', M: 'м', O: 'о', P: 'р', T: 'т', X: 'х', Y: 'у' };
    const typed = `${plate.slice(0, 3)} ${[...plate.slice(3, 6)].map((c) => cyrillic[c] ?? c).join('')} ${plate.slice(6)}`.replace(/0/gu, 'O');
    expect(typed).not.toContain(plate.slice(3, 6));

    const page = await signIn('prosecutor');
    await chooseLanguage(page, 'ru');
    const box = page.getByRole('search', { name: 'Поиск' });
    await box.getByRole('searchbox').fill(typed);
    await box.getByRole('button', { name: 'Найти' }).click();
    await page.waitForURL(/\/search\?q=/u);
    await page.getByRole('heading', { name: `Найдено по запросу «${typed}»` }).waitFor();
    const vehicles = page.getByRole('region', { name: /^Транспорт/u });
    const link = vehicles.getByRole('link', { name: `Профиль транспорта ${plate}` });
    await link.waitFor();
    expect(await vehicles.textContent()).toMatch(/зарегистрирован · \d+ нарушени/u);
    await shot(page, 'search');

    // Something nobody typed finds nothing, and says so; one character is refused with the reason.
    await box.getByRole('searchbox').fill('zz-nothing-like-this');
    await box.getByRole('button', { name: 'Найти' }).click();
    await page.getByText('По запросу «zz-nothing-like-this» ничего не найдено', { exact: false }).waitFor();
    await box.getByRole('searchbox').fill('7');
    await box.getByRole('button', { name: 'Найти' }).click();
    await page.getByText('Для поиска введите не меньше 2 символов.').waitFor();

    await page.goBack();
    await page.goBack();
    await link.click();
    await page.getByRole('heading', { name: new RegExp(`^Профиль транспорта ${plate}`, 'u') }).waitFor();
    await chooseLanguage(page, 'en');
  });

  it('an auditor builds a bundle with the pickers in Russian, leaves, and downloads it later from the list', async () => {
    const page = await signIn('auditor');
    await chooseLanguage(page, 'ru');
    const menu = page.getByRole('navigation', { name: 'Главное меню' });
    await menu.getByRole('link', { name: 'Пакеты доказательств' }).click();
    const form = page.getByRole('form', { name: 'Выгрузка по запросу' });
    // An officer chosen from the roster, not typed: the picker lists officers with their unit.
    const officer = form.getByRole('combobox', { name: /^Сотрудник/u });
    await officer.locator('option').nth(1).waitFor({ state: 'attached' });
    const officerId = await officer.locator('option').nth(1).getAttribute('value');
    expect(officerId).toMatch(/\S/u);
    await officer.selectOption(officerId ?? '');
    await form.getByRole('button', { name: 'Добавить' }).click();
    await form.getByRole('list', { name: 'Выбранные объекты' }).getByText(officerId ?? '', { exact: true }).waitFor();
    // The period as Russian writes days: the last 90 days up to today.
    const day = (d: Date) => `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
    await form.getByPlaceholder('дд.мм.гггг').nth(0).fill(day(new Date(Date.now() - 90 * 86_400_000)));
    await form.getByPlaceholder('дд.мм.гггг').nth(1).fill(day(new Date()));
    const reason = `Запрос суда 2-118/2026 по сотруднику ${officerId ?? ''}`;
    await form.getByLabel('Цель выгрузки').fill(reason);
    await form.getByRole('button', { name: 'Выгрузить пакет доказательств' }).click();
    await form.getByRole('region', { name: 'Ход сборки пакета' }).waitFor();

    // Away to the queue and back: the bundle is found in the list, with its builder by name.
    await menu.getByRole('link', { name: 'Сигналы' }).click();
    await page.getByRole('table', { name: 'Сигналы' }).waitFor();
    await menu.getByRole('link', { name: 'Пакеты доказательств' }).click();
    const list = page.getByRole('table', { name: 'Собранные пакеты' });
    const row = list.getByRole('row').filter({ hasText: reason });
    await row.getByRole('button', { name: 'Скачать' }).waitFor({ timeout: 60_000 });
    await expect(row.getByRole('cell').nth(2).textContent()).resolves.toBe('Marat Auditor');
    // A query bundle says what it was asked for: the officer chosen and the period.
    await expect(row.getByRole('cell').nth(1).textContent()).resolves.toMatch(new RegExp(`^по запросусотрудник ${officerId ?? ''}; `, 'u'));
    const listed = await row.locator('code.hash').getAttribute('title');
    expect(listed).toMatch(/^[0-9a-f]{64}$/u);
    await shot(page, 'bundles');
    const [file] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Скачать' }).click()]);
    const saved = path.join(tmpdir(), `qadaga-e2e-query-${Date.now()}.zip`);
    await file.saveAs(saved);
    expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(listed);
  });

  it('a prosecutor saves a view of the queue, applies it, and exports the queue to CSV, in Kazakh', async () => {
    const page = await signIn('prosecutor');
    await chooseLanguage(page, 'kk');
    // High flags: the journeys before this one put the few critical ones into cases.
    await page.goto(`${stack.webUrl}/flags?severity=high`);
    await page.getByRole('table', { name: 'Белгілер' }).waitFor();
    const severity = page.getByRole('group', { name: 'Маңыздылық' });
    await page.getByLabel('Көріністің атауы').fill('Жоғары белгілер');
    await page.getByRole('button', { name: 'Ағымдағы сүзгілерді сақтау' }).click();
    await page.getByText('«Жоғары белгілер» деп сақталды.').waitFor();
    // Another filter, then the saved view brings the saved one back.
    await page.goto(`${stack.webUrl}/flags?severity=low`);
    await page.locator('p.counts').waitFor();
    await expect(severity.getByLabel('жоғары').isChecked()).resolves.toBe(false);
    // The queue the view brings back, as the server counted it.
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/v1/flags?') && r.url().includes('severity=high') && r.ok()),
      page.getByLabel('Сақталған көрініс').selectOption({ label: 'Жоғары белгілер' }),
    ]);
    await page.waitForURL(/severity=high/u);
    await expect(severity.getByLabel('жоғары').isChecked()).resolves.toBe(true);
    const { total, totalExact } = (await answer.json()) as { total: number; totalExact: boolean };
    expect(totalExact).toBe(true);
    expect(total).toBeGreaterThan(0);
    await page.getByRole('table', { name: 'Белгілер' }).waitFor();

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV жүктеп алу' }).click()]);
    expect(file.suggestedFilename()).toMatch(/^flags-\d{4}-\d{2}-\d{2}\.csv$/u);
    const saved = path.join(tmpdir(), `qadaga-e2e-${Date.now()}.csv`);
    await file.saveAs(saved);
    const bytes = readFileSync(saved);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(bytes.subarray(3).toString('utf8')) as string[][];
    expect(records[0]?.slice(0, 3)).toEqual(['id', 'severity', 'score']);
    expect(records.length - 1).toBe(total);
    expect(records.slice(1).every((r) => r[1] === 'high')).toBe(true);
    await page.getByText(`${total} белгі жүктелді.`).waitFor();
    await shot(page, 'queue-saved-views');
  });

  it('a rule author types the rule in the code editor, sees where officers lie on a threshold and why a move changes what it does, and is warned before submitting a rule that flags almost everyone', async () => {
    const page = await signIn('author', { width: 1600, height: 1000 });
    await chooseLanguage(page, 'ru');
    await page.goto(`${stack.webUrl}/rules/rubber-stamping`);
    const summary = page.getByLabel('Итог проверки');
    await summary.waitFor({ timeout: 30_000 });
    // Each parameter is described in the reader's language.
    await page.getByRole('form', { name: 'Параметры' }).getByText('Наименьшее число решений с временем, записанным до секунды', { exact: false }).waitFor({ timeout: 5_000 });

    // The code editor checks the rule against its schema as it is typed, and offers the values a field takes.
    const editor = page.locator('.rule-json-editor .cm-content');
    await editor.waitFor();
    expect(await editor.getAttribute('aria-label')).toBe('JSON правила');
    // The severity line retyped with a value the format does not have: underlined, marked in the margin.
    // The editor draws only the lines in view, so the cursor walks down to it.
    await editor.scrollIntoViewIfNeeded();
    await page.locator('.rule-json-editor .cm-line').first().click();
    for (let i = 0; i < 400 && !((await page.locator('.rule-json-editor .cm-activeLine').textContent()) ?? '').includes('"severity"'); i += 1) {
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('"severity": "hig"');
    await page.keyboard.type(',');
    await page.locator('.rule-json-editor .cm-lintRange-error').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('.rule-json-editor .cm-lint-marker-error').count()).toBeGreaterThan(0);
    // Inside the emptied string the editor offers the values the schema allows.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 3; i += 1) await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+Space');
    const completion = page.locator('.cm-tooltip-autocomplete');
    await completion.waitFor({ timeout: 10_000 });
    const offered = await completion.textContent();
    for (const severity of ['low', 'medium', 'high', 'critical']) expect(offered).toContain(severity);
    await shot(page, 'rule-editor-code');
    await page.keyboard.press('Escape');
    await page.keyboard.type('critical');
    await page.waitForFunction(() => document.querySelectorAll('.rule-json-editor .cm-lintRange-error').length === 0, undefined, { timeout: 10_000 });
    expect(await editorText(page)).toContain('"severity": "critical",');

    // Beside the fast-share threshold, where the officers lie, with the threshold as a line.
    const chart = page.getByRole('figure', { name: /Распределение: /u }).filter({ has: page.locator('.recharts-reference-line') });
    await chart.first().waitFor({ timeout: 30_000 });
    const note = chart.first().getByRole('note');
    expect(await note.textContent()).toMatch(/(Выше|Ниже) порога 5\s?%: \d+ из \d+\./u);
    expect(await note.textContent()).toContain('Как в опубликованной версии.');

    // 5 % to 2 %: the sentence says how many officers lie between the two thresholds.
    const outcomes = page.getByRole('table', { name: 'Как закрытые дела оценили эти объекты' });
    await outcomes.waitFor();
    const outcomesBefore = await outcomes.textContent();
    await page.getByRole('spinbutton', { name: 'minFastShare' }).fill('0.02');
    await page.waitForFunction(() => /опубликованным порогом/u.test(document.querySelector('.threshold-distribution [role="note"]')?.textContent ?? ''), undefined, { timeout: 30_000 });
    expect(await note.textContent()).toMatch(/Между опубликованным порогом \(5\s?%\) и новым \(2\s?%\) (нет ни одного объекта: это изменение ничего не меняет|лежит \d+ объект|лежат \d+ объект(а|ов))\./u);

    // Every officer with a decision flagged: the backtest warns in words, the outcome counts move, and submitting asks first.
    await page.getByRole('spinbutton', { name: 'minDecisions' }).fill('1');
    await page.getByRole('spinbutton', { name: 'minFastShare' }).fill('0');
    const warning = page.getByRole('alert').filter({ hasText: 'Внимание: черновик отмечает' });
    await warning.waitFor({ timeout: 30_000 });
    expect(await warning.textContent()).toMatch(/отмечает \d+ из \d+ объектов \(\d+([,.]\d+)?\s?%\) — больше 25\s?%/u);
    await page.waitForFunction((before) => document.querySelector('table.outcomes')?.textContent !== before, outcomesBefore, { timeout: 30_000 });
    const added = await outcomes.getByRole('row', { name: /Добавлены/u }).textContent();
    expect(Number(added?.match(/Добавлены \((\d+)\)/u)?.[1])).toBeGreaterThan(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'rule-editor');

    await page.getByRole('button', { name: 'Сохранить черновик' }).click();
    await page.getByText('Черновик v2 сохранён.').waitFor();
    const versions = page.getByRole('table', { name: 'Версии' });
    expect(await versions.getByRole('row', { name: /v2/u }).textContent()).toContain('Ruslan Author');
    await page.getByRole('button', { name: 'Отправить v2' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/больше 25\s?%\. Всё равно отправить v2 на согласование\?/u);
    await confirm.getByRole('button', { name: 'Всё равно отправить v2' }).click();
    await page.getByText('v2 отправлена на согласование.').waitFor();
    expect(await versions.getByRole('row', { name: /v2/u }).textContent()).toContain('на согласовании');
  });

  it('a prosecutor sees an officer\'s actions on the map, and goes from a district on the map to the flags in it', async () => {
    const page = await signIn('prosecutor', { width: 1920, height: 1080 });
    await page.goto(`${stack.webUrl}/flags?rule=speed-downgrade&status=`);
    await page.getByRole('table', { name: 'Flags' }).getByRole('link', { name: /^Officer profile / }).first().click();
    await page.getByRole('table', { name: 'Actions by month' }).waitFor();
    expect(await page.locator('figure.chart svg.recharts-surface').count()).toBeGreaterThan(0);
    const actionsMap = page.getByRole('group', { name: 'Actions by district; circles mark where cancellations gather' });
    await actionsMap.waitFor();
    expect(await actionsMap.locator('path').count()).toBe(8);
    await shot(page, 'officer-profile');

    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Places' }).click();
    const map = page.getByRole('group', { name: 'Cancellation rate by district' });
    await map.waitFor();
    const districts = map.getByRole('button', { name: /open flags\. Opens the queue of this district\.$/u });
    expect(await districts.count()).toBe(8);
    expect(await page.getByRole('status').textContent()).toMatch(/^The whole city in this period: [\d,]+ violations, [\d,]+ cancelled \([\d.]+%\), [\d,]+ open flags\.$/u);
    // How a flag is placed is said once, in the reader's language, where the counts are read.
    const rule = page.locator('#places-flags-rule');
    expect(await rule.textContent()).toBe('Open flags stand as of now, whatever the period; a flag counts once in every district and at every camera where a violation of its evidence happened.');
    await shot(page, 'places');
    // The map coloured by open flags, in each language, under the sentence that says how they are placed.
    const measure = page.locator('select').filter({ has: page.locator('option[value="openFlags"]') });
    await measure.selectOption('openFlags');
    await page.getByRole('group', { name: 'Open flags by district' }).waitFor();
    await shot(page, 'places-en');
    for (const [locale, text] of [
      ['ru', /^Открытые сигналы — на сегодня, за любой период; сигнал учитывается один раз в каждом районе и у каждой камеры/u],
      ['kk', /^Ашық белгілер кезеңге қарамастан бүгінгі күйі бойынша; белгі дәлелдеріндегі құқықбұзушылық болған әр ауданда/u],
    ] as const) {
      await chooseLanguage(page, locale);
      await page.locator('#places-flags-rule').filter({ hasText: text }).waitFor();
      await shot(page, `places-${locale}`);
    }
    await chooseLanguage(page, 'en');
    await measure.selectOption('cancellationRate');
    await map.waitFor();

    // The district with the most open flags: its name and counts are in its label.
    const labels = await districts.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
    const cancelled = (label: string) => Number(/ violations, ([\d,]+) cancelled/u.exec(label)?.[1]?.replace(/,/gu, '') ?? 0);
    const openFlags = (label: string) => Number(/, ([\d,]+) open flags\./u.exec(label)?.[1]?.replace(/,/gu, '') ?? 0);
    const flagged = [...labels].sort((a, b) => openFlags(b) - openFlags(a) || cancelled(b) - cancelled(a))[0] ?? '';
    const counted = openFlags(flagged);
    expect(counted).toBeGreaterThan(0);
    // By keyboard, as the map offers it: a camera cluster may sit over the district's middle, where a click would land.
    await map.getByRole('button', { name: flagged }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/flags\?district=/u);
    const district = new URL(page.url()).searchParams.get('district') ?? '';
    expect(district).toMatch(/^[a-z]+$/u);
    // The queue opens filtered to that district with as many flags as the map counted there.
    await page.getByRole('table', { name: 'Flags' }).waitFor();
    const total = (await page.getByRole('status').filter({ hasText: /flags? match/u }).textContent()) ?? '';
    expect(Number(/^([\d,]+) flags? match/u.exec(total)?.[1]?.replace(/,/gu, '') ?? -1)).toBe(counted);
    const listed = await page.getByRole('table', { name: 'Flags' }).getByRole('row').count();
    expect(listed - 1).toBe(Math.min(counted, 50));
    figures['placesDistrictOpenFlags'] = counted;
  });

  for (const { locale, width, height } of [
    { locale: 'kk', width: 390, height: 844 },
    { locale: 'ru', width: 390, height: 844 },
    { locale: 'en', width: 390, height: 844 },
    { locale: 'kk', width: 1920, height: 1080 },
    { locale: 'ru', width: 1920, height: 1080 },
    { locale: 'en', width: 1920, height: 1080 },
  ] as const) {
    it(`a citizen reads the public map without signing in, ${width} px wide, in ${locale}`, async () => {
      const context = await stack.browser.newContext({ viewport: { width, height }, isMobile: width < 500, acceptDownloads: true });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${stack.webUrl}/public`);
      await page.locator('main.public-page select').first().selectOption(locale);
      const map = page.locator('figure.map-figure svg');
      await map.waitFor();
      expect(await map.locator('path[role="button"]').count()).toBe(8);
      // The page fits the phone once laid out: nothing wider than the screen but the tables, which scroll on their own.
      await page.waitForFunction((w) => document.documentElement.scrollWidth <= w, width, { timeout: 10_000 });
      expect(await page.locator('.map-attribution').textContent()).toContain('OpenStreetMap');

      const texts = await page.locator('#public-districts ~ div table tbody td').allTextContents();
      const withheld = { kk: 'жасырылған', ru: 'скрыто', en: 'withheld' }[locale];
      const note = (await page.locator('#public-districts ~ p.muted').textContent()) ?? '';
      const min = Number(/(\d+)/u.exec(note)?.[1]);
      expect(min).toBeGreaterThan(1);
      // Columns: detections... order is the page's: per 1,000 (two), then violations, cancellations, detections.
      const perRow = 5;
      for (const [i, text] of texts.entries()) {
        if (text === withheld) continue;
        const n = Number(text.replace(/[\s\u00a0\u202f]/gu, '').replace(',', '.'));
        expect(Number.isFinite(n), text).toBe(true);
        if (i % perRow >= 2) expect(n, text).toBeGreaterThanOrEqual(min);
      }

      // A week on the slider redraws the map and marks the week on the trend.
      await page.locator('.week-slider input[type="range"]').fill('2');
      await page.locator('.week-slider output').filter({ hasNotText: { kk: 'бүкіл тоқсан', ru: 'весь квартал', en: 'whole quarter' }[locale] }).waitFor();
      await page.locator('.recharts-reference-line').first().waitFor({ state: 'attached' });
      await shot(page, `public-${width}-${locale}`);

      if (width > 500 && locale === 'en') {
        const csv = await context.request.get(`${stack.webUrl}${await page.getByRole('link', { name: 'CSV' }).getAttribute('href')}`);
        expect(csv.ok()).toBe(true);
        const lines = (await csv.text()).split('\n');
        expect(lines[0]).toMatch(/^#/u);
        expect(lines.find((l) => !l.startsWith('#'))).toBe('level,district,camera_id,lat,lon,week,detections,violations,cancellations,violations_per_1000,cancellations_per_1000');
      }
    });
  }

  it('records the size of the built workbench', () => {
    const assets = path.join(ROOT, 'apps/web/dist/assets');
    const files = readdirSync(assets).filter((f) => /\.(js|css)$/u.test(f));
    figures['bundleBytes'] = files.reduce((s, f) => s + statSync(path.join(assets, f)).size, 0);
    figures['bundleGzipBytes'] = files.reduce((s, f) => s + gzipSync(readFileSync(path.join(assets, f))).length, 0);
    expect(figures['bundleGzipBytes']).toBeGreaterThan(0);
  });
});
