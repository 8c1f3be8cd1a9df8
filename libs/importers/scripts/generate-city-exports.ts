/**
 * Writes exports with the columns and quirks of two public ticket registers of other
 * cities, filled with made-up tickets (the real files cannot be shipped with the product):
 *
 * - New York City's "Open Parking and Camera Violations" (NYC Open Data, DOF): one row per
 *   summons in its current state; camera summonses only. Quirks: dates MM/DD/YYYY and times
 *   on a 12-hour clock with a bare A/P ("06:41P"); no camera id, no reviewer, no payment
 *   date; money split into fine, penalty, interest, reduction, payment and amount due; the
 *   status is the hearing's outcome or empty. Two nights, a week apart, the second with
 *   statuses moved on, a second payment and a summons gone.
 * - Chicago's parking and camera tickets as published by ProPublica Illinois: one row per
 *   ticket in its current state. Quirks: plates published as 64-character SHA-256 hashes;
 *   no camera id (the location stands for it) and no coordinates; the queue's date has no
 *   time; payments as a running total.
 *
 *   npx tsx libs/importers/scripts/generate-city-exports.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../examples/cities');

/** mulberry32: a small seeded generator, so the files are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const csvCell = (v: string | number) => {
  const text = String(v);
  return /[",\n]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
};
const csvLine = (cells: (string | number)[]) => cells.map(csvCell).join(',');
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const money = (n: number) => n.toFixed(2);

// ---------------------------------------------------------------------------------------
// New York City

const NYC_HEADER = [
  'Plate', 'State', 'License Type', 'Summons Number', 'Issue Date', 'Violation Time', 'Violation', 'Judgment Entry Date',
  'Fine Amount', 'Penalty Amount', 'Interest Amount', 'Reduction Amount', 'Payment Amount', 'Amount Due',
  'Precinct', 'County', 'Issuing Agency', 'Violation Status', 'Summons Image',
];
const NYC_VIOLATIONS = [
  { text: 'PHTO SCHOOL ZN SPEED VIOLATION', fine: 50 },
  { text: 'FAILURE TO STOP AT RED LIGHT', fine: 50 },
  { text: 'BUS LANE VIOLATION', fine: 250 },
];
const NYC_COUNTIES = ['K', 'Q', 'NY', 'BX', 'R'];

interface NycTicket {
  plate: string;
  state: string;
  licence: string;
  summons: string;
  issued: Date;
  violation: (typeof NYC_VIOLATIONS)[number];
  county: string;
  /** Each night's row: status, penalty, reduction, payments so far. */
  nights: { status: string; penalty: number; reduction: number; paid: number }[];
}

function nycTickets(): NycTicket[] {
  const rnd = random(212);
  const letters = 'ABCDEFGHJKLMNPRSTUVWXYZ';
  const tickets: NycTicket[] = [];
  for (let i = 0; i < 1200; i += 1) {
    const plate = Array.from({ length: 3 }, () => letters[Math.floor(rnd() * letters.length)]).join('') + pad(Math.floor(rnd() * 10000), 4);
    const issued = new Date(Date.UTC(2026, 6, 1) + Math.floor(rnd() * 100 * 86_400_000));
    const violation = NYC_VIOLATIONS[Math.floor(rnd() * NYC_VIOLATIONS.length)] ?? NYC_VIOLATIONS[0];
    const roll = rnd();
    // Night one: most paid in full, some open, some at a hearing.
    const first =
      roll < 0.55
        ? { status: '', penalty: 0, reduction: 0, paid: violation!.fine }
        : roll < 0.8
          ? { status: '', penalty: 0, reduction: 0, paid: 0 }
          : roll < 0.88
            ? { status: 'HEARING PENDING', penalty: 0, reduction: 0, paid: 0 }
            : roll < 0.93
              ? { status: 'HEARING HELD-NOT GUILTY', penalty: 0, reduction: 0, paid: 0 }
              : roll < 0.97
                ? { status: 'HEARING HELD-GUILTY', penalty: 0, reduction: 0, paid: violation!.fine }
                : { status: 'HEARING HELD-GUILTY REDUCTION', penalty: 0, reduction: violation!.fine / 2, paid: violation!.fine / 2 };
    // Night two: an open summons is now paid, or late with a penalty; a pending hearing is decided.
    const second = { ...first };
    if (first.status === '' && first.paid === 0) {
      const next = rnd();
      if (next < 0.5) second.paid = violation!.fine;
      else if (next < 0.8) second.penalty = 10;
    } else if (first.status === 'HEARING PENDING') {
      second.status = rnd() < 0.5 ? 'HEARING HELD-GUILTY' : 'HEARING HELD-NOT GUILTY';
    }
    tickets.push({
      plate,
      state: rnd() < 0.85 ? 'NY' : rnd() < 0.6 ? 'NJ' : 'PA',
      licence: rnd() < 0.9 ? 'PAS' : 'COM',
      summons: `4${pad(Math.floor(rnd() * 1e9), 9)}`,
      issued,
      violation: violation!,
      county: NYC_COUNTIES[Math.floor(rnd() * NYC_COUNTIES.length)] ?? 'K',
      nights: [first, second],
    });
  }
  return tickets;
}

function nycTime(d: Date, rnd: () => number): string {
  // Local New York hours of a camera's day; the export prints 12-hour time with A or P.
  const hour24 = 6 + Math.floor(rnd() * 16);
  const minute = Math.floor(rnd() * 60);
  const hour12 = hour24 % 12 === 0 ? 12 : hour24 % 12;
  return `${pad(hour12)}:${pad(minute)}${hour24 < 12 ? 'A' : 'P'}`;
}

function writeNyc(): void {
  const tickets = nycTickets();
  const rnd = random(7);
  const times = tickets.map((t) => nycTime(t.issued, rnd));
  for (const night of [0, 1] as const) {
    const lines = [csvLine(NYC_HEADER)];
    for (const [i, t] of tickets.entries()) {
      // Night two: a paid summons vanished from the register (every 97th).
      if (night === 1 && i % 97 === 5) continue;
      const n = t.nights[night]!;
      const fine = t.violation.fine;
      const due = Math.max(0, fine + n.penalty - n.reduction - n.paid);
      const date = `${pad(t.issued.getUTCMonth() + 1)}/${pad(t.issued.getUTCDate())}/${t.issued.getUTCFullYear()}`;
      lines.push(
        csvLine([
          t.plate, t.state, t.licence, t.summons, date, times[i]!, t.violation.text, '',
          money(fine), money(n.penalty), money(0), money(n.reduction), money(n.paid), money(due),
          '000', t.county, 'DEPARTMENT OF TRANSPORTATION', n.status, 'View Summons',
        ]),
      );
    }
    writeFileSync(path.join(OUT, `nyc-open-violations-night-${night + 1}.csv`), `${lines.join('\n')}\n`);
  }
}

// ---------------------------------------------------------------------------------------
// Chicago

const CHICAGO_HEADER = [
  'ticket_number', 'issue_date', 'violation_location', 'license_plate_number', 'license_plate_state', 'license_plate_type', 'zipcode',
  'violation_code', 'violation_description', 'unit', 'unit_description', 'vehicle_make', 'fine_level1_amount', 'fine_level2_amount',
  'current_amount_due', 'total_payments', 'ticket_queue', 'ticket_queue_date', 'notice_level', 'hearing_disposition', 'notice_number',
  'officer', 'address',
];
const CHICAGO_CAMERAS = [
  '5500 S WENTWORTH AVE', '3200 W ADDISON ST', '6200 N LINCOLN AVE', '1100 S HALSTED ST', '4000 W 55TH ST', '2900 N ASHLAND AVE',
  '7900 S STONY ISLAND AVE', '400 E 95TH ST', '1600 N PULASKI RD', '3400 W DIVERSEY AVE', '800 N CENTRAL AVE', '5000 S CICERO AVE',
];
const CHICAGO_CODES = [
  { code: '0964170A', text: 'SPEED VIOLATION 6-10', fine: 35, unit: '498', unitText: 'Dept. of Finance' },
  { code: '0964170B', text: 'SPEED VIOLATION 11+', fine: 100, unit: '498', unitText: 'Dept. of Finance' },
  { code: '0964190A', text: 'RED LIGHT VIOLATION', fine: 100, unit: '498', unitText: 'Dept. of Finance' },
];
/** Reviewers who confirm camera images; one of them has far more tickets dismissed at hearings than the others. */
const CHICAGO_REVIEWERS = ['R-1071', 'R-1088', 'R-1102', 'R-1115', 'R-1130', 'R-1149'];

function writeChicago(): void {
  const rnd = random(312);
  const lines = [csvLine(CHICAGO_HEADER)];
  for (let i = 0; i < 1500; i += 1) {
    const issued = new Date(Date.UTC(2026, 6, 1, 11) + Math.floor(rnd() * 100 * 86_400_000) + Math.floor(rnd() * 12) * 3_600_000);
    const code = CHICAGO_CODES[Math.floor(rnd() * CHICAGO_CODES.length)]!;
    const camera = CHICAGO_CAMERAS[Math.floor(rnd() * CHICAGO_CAMERAS.length)]!;
    const reviewer = CHICAGO_REVIEWERS[Math.floor(rnd() * CHICAGO_REVIEWERS.length)]!;
    const plate = createHash('sha256').update(`IL-${Math.floor(rnd() * 1e7)}`).digest('hex');
    const dismissShare = reviewer === 'R-1149' ? 0.35 : 0.06;
    const roll = rnd();
    const queue = roll < dismissShare ? 'Dismissed' : roll < 0.6 ? 'Paid' : roll < 0.85 ? 'Notice' : 'Hearing Req';
    const queueDay = new Date(issued.getTime() + (10 + Math.floor(rnd() * 40)) * 86_400_000);
    const paid = queue === 'Paid' ? code.fine : 0;
    const due = queue === 'Dismissed' || queue === 'Paid' ? 0 : code.fine;
    const stamp = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    lines.push(
      csvLine([
        String(9_200_000_000 + i * 7), `${stamp(issued)} ${pad(issued.getUTCHours())}:${pad(issued.getUTCMinutes())}:00`, camera, plate, 'IL', 'PAS',
        String(60600 + Math.floor(rnd() * 60)), code.code, code.text, code.unit, code.unitText, rnd() < 0.5 ? 'TOYT' : 'CHEV',
        code.fine, code.fine * 2, due, paid, queue, stamp(queueDay), queue === 'Notice' ? 'VIOL' : '',
        queue === 'Dismissed' ? 'Not Liable' : queue === 'Paid' && rnd() < 0.1 ? 'Liable' : '', queue === 'Notice' || queue === 'Paid' ? String(5_100_000_000 + i) : '',
        reviewer, `${camera}, CHICAGO IL`,
      ]),
    );
  }
  writeFileSync(path.join(OUT, 'chicago-tickets.csv'), `${lines.join('\n')}\n`);
}

mkdirSync(OUT, { recursive: true });
writeNyc();
writeChicago();
console.log(`wrote ${OUT}`);
