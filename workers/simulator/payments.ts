/**
 * The social-welfare payment system (an sinh xã hội): per commune and month, people receiving
 * welfare, of them paid cashless (bank account, e-wallet, Mobile Money), and the money paid, in VND.
 * Magnitudes from domain.md and the brief: 150–600 recipients a commune, 1.2–3.5 million VND
 * each a month, cashless share rising towards 99.6 % (Thanh Oai, 2024): sooner and further in
 * well-run districts, while badly run ones are still below 90 % in late 2026 (management.ts).
 */
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';
import { monthIndex } from './calendar.ts';
import { managementLevel, shifted } from './management.ts';
import { between, normal, uniform } from '#server/seed/random';

export interface PaymentMonth {
  recipients: number;
  cashless: number;
  /** VND paid in the month (so far, for the current month), a multiple of 1,000. */
  amount: number;
  amountCashless: number;
}

interface PaymentProfile {
  recipients: number;
  driftAmplitude: number;
  driftMonths: number;
  driftPhase: number;
  cashlessStart: number;
  cashlessTarget: number;
  cashlessMonths: number;
  perRecipient: number;
}

/** January 2024: where the cashless curves start (Directive 21's push was under way). */
const START_MONTH = monthIndex('2024-01');

const clamp = (lo: number, hi: number, x: number) => Math.min(hi, Math.max(lo, x));

const profiles = new Map<string, PaymentProfile>();
function profile(seed: string, unitCode: string): PaymentProfile {
  const key = `${seed}|${unitCode}`;
  let p = profiles.get(key);
  if (!p) {
    const level = managementLevel(seed, unitCode);
    const own = (name: string) => 0.3 * normal(seed, unitCode, name);
    p = {
      recipients: between(170, 580, seed, unitCode, 'pay-recipients'),
      driftAmplitude: between(0.01, 0.03, seed, unitCode, 'pay-drift-amp'),
      driftMonths: between(12, 36, seed, unitCode, 'pay-drift-months'),
      driftPhase: uniform(seed, unitCode, 'pay-drift-phase'),
      cashlessStart: clamp(0.6, 0.88, shifted(0.73, level, 0.35, own('pay-cashless-start'))),
      cashlessTarget: clamp(0.9, 0.996, shifted(0.98, level, 0.5, own('pay-cashless-target'))),
      // Months to close two thirds of the gap: ~12 in a typical district, ~24 in a badly run one.
      cashlessMonths: clamp(4, 40, between(9, 15, seed, unitCode, 'pay-cashless-months') * Math.exp(-0.35 * level)),
      perRecipient: between(1.5e6, 3.1e6, seed, unitCode, 'pay-amount')
    };
    profiles.set(key, p);
  }
  return p;
}

const thousands = (vnd: number) => Math.round(vnd / 1000) * 1000;

/**
 * Share of the month's money paid out at `now`: payments go out linearly from 00:00 on the 5th
 * to the end of the 10th (ICT); 0 before, 1 after and for past months.
 */
export function paidShare(month: string, now: Date): number {
  const start = DateTime.fromISO(`${month}-05`, { zone: ZONE }).toMillis();
  const end = DateTime.fromISO(`${month}-11`, { zone: ZONE }).toMillis();
  return clamp(0, 1, (now.getTime() - start) / (end - start));
}

/**
 * One commune's month ('YYYY-MM') as observed at `now`; null for a month that has not begun.
 * The current month has its recipients (known from the month's list) and the money paid so far.
 */
export function paymentMonth(seed: string, unitCode: string, month: string, now: Date): PaymentMonth | null {
  if (DateTime.fromISO(`${month}-01`, { zone: ZONE }).toMillis() > now.getTime()) return null;
  const p = profile(seed, unitCode);
  const m = monthIndex(month);
  // A slow wave (people enter and leave the lists) plus a few monthly changes.
  const wave = 1 + p.driftAmplitude * Math.sin(2 * Math.PI * (m / p.driftMonths + p.driftPhase));
  const recipients = Math.round(clamp(150, 600, p.recipients * wave + 3 * normal(seed, unitCode, month, 'pay-r')));
  const share = clamp(0.6, 0.996, p.cashlessTarget - (p.cashlessTarget - p.cashlessStart) * Math.exp(-(m - START_MONTH) / p.cashlessMonths));
  const cashless = Math.round(recipients * share);
  const perRecipient = clamp(1.2e6, 3.5e6, p.perRecipient * (1 + 0.04 * normal(seed, unitCode, month, 'pay-a')));
  const fullAmount = thousands(recipients * perRecipient);
  // Cashless recipients get a little more or less than the average (pensions vs allowances).
  const tilt = between(0.97, 1.03, seed, unitCode, month, 'pay-tilt');
  const fullCashless = Math.min(fullAmount, thousands(fullAmount * (cashless / recipients) * tilt));
  const paid = paidShare(month, now);
  // The same share of both, rounded the same way: the cashless part stays ≤ the whole.
  return { recipients, cashless, amount: thousands(fullAmount * paid), amountCashless: thousands(fullCashless * paid) };
}

/**
 * A commune formed at a reform: its predecessors' month, each times its share; people rounded to
 * whole people and money to thousands of VND (both monotone, so the cashless part stays within the
 * whole). Null when the month has not begun.
 */
export function composePayments(parts: readonly { month: PaymentMonth | null; share: number }[]): PaymentMonth | null {
  if (parts.some((p) => p.month === null)) return null;
  const mix = (f: (m: PaymentMonth) => number) => parts.reduce((sum, p) => sum + p.share * f(p.month!), 0);
  const recipients = Math.round(mix((m) => m.recipients));
  const amount = thousands(mix((m) => m.amount));
  return {
    recipients,
    cashless: Math.min(recipients, Math.round(mix((m) => m.cashless))),
    amount,
    amountCashless: Math.min(amount, thousands(mix((m) => m.amountCashless)))
  };
}
