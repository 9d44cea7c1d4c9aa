/**
 * The ground truth of a unit of the register, whatever kind it is: a unit of its own (an old
 * commune, a district, a test's unit) has its own profile; a department its own, sized as a
 * department; a unit formed at a reform is its predecessors' truth continued past the reform (they
 * keep their profiles, keyed by their codes), times the lineage's shares (register.ts).
 */
import { composeDossiers, departmentSize, dossierDay, overrideDossier, type DossierDay, type DossierOverride } from './dossiers.ts';
import { composeEid, eidDay, type EidDay } from './eid.ts';
import type { SimUnit } from './http.ts';
import { composePayments, paymentMonth, type PaymentMonth } from './payments.ts';

/** A dossier system's truth of one unit of its own (the seeded API's dossierDay; the fifth vendor's oneStopDay). */
export type DossierTruth = (seed: string, unitCode: string, date: string, now: Date) => DossierDay;

export function unitDossiers(
  seed: string,
  u: SimUnit,
  date: string,
  now: Date,
  override?: DossierOverride,
  truth: DossierTruth = dossierDay
): DossierDay {
  if (u.predecessors?.length) {
    return overrideDossier(composeDossiers(u.predecessors.map((p) => ({ day: truth(seed, p.code, date, now), share: p.share }))), override);
  }
  if (u.level === 'department') return dossierDay(seed, u.code, date, now, override, departmentSize(u.type));
  if (truth === dossierDay) return dossierDay(seed, u.code, date, now, override);
  return overrideDossier(truth(seed, u.code, date, now), override);
}

export function unitEid(seed: string, u: SimUnit, date: string, now: Date): EidDay {
  if (u.predecessors?.length) return composeEid(u.predecessors.map((p) => ({ day: eidDay(seed, p.code, date, now), share: p.share })));
  return eidDay(seed, u.code, date, now);
}

export function unitPayments(seed: string, u: SimUnit, month: string, now: Date): PaymentMonth | null {
  if (u.predecessors?.length) return composePayments(u.predecessors.map((p) => ({ month: paymentMonth(seed, p.code, month, now), share: p.share })));
  return paymentMonth(seed, u.code, month, now);
}
