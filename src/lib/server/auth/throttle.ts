/**
 * How long a sign-in attempt must wait, from the failures before it. A wait, never a lock: an
 * attacker's failures slow the attacker's own address (per account and address pair), and a spray
 * over many addresses slows only the addresses that account never signed in from, so the owner
 * signing in from their own address is never held up by someone else's guesses.
 */
export const LIMITS = {
  /** Failures one address may make on one account before each further try must wait. */
  freePerPair: 5,
  /** The first wait; it doubles with each further failure of the pair, up to maxWaitSeconds. */
  firstWaitSeconds: 60,
  maxWaitSeconds: 15 * 60,
  /** A pair's failures count for this long, and are forgotten when the pair signs in. */
  pairWindowHours: 24,
  /** The window of the two ceilings below. */
  windowMinutes: 15,
  /** One address, across accounts: this many failures in the window, then it waits out the window. */
  perAddress: 20,
  /** One account, from addresses it never signed in from: this many failures in the window, then those addresses wait (growing). */
  perAccountUnknown: 10
} as const;

/** The failures that bear on one attempt, counted by the database (times as epoch milliseconds). */
export interface FailureCounts {
  /** This account from this address, in the last pairWindowHours. */
  pair: number;
  pairLastAt: number | null;
  /** This address, any account, in the last windowMinutes. */
  address: number;
  addressOldestAt: number | null;
  /** This account, any address, in the last windowMinutes. */
  account: number;
  accountLastAt: number | null;
  /** Whether this account has ever signed in from this address. */
  knownAddress: boolean;
}

/** The wait after `failures` failures when the first `free` cost nothing: 1 min, 2, 4, 8, then 15 at most. */
export function growingWaitSeconds(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(LIMITS.maxWaitSeconds, LIMITS.firstWaitSeconds * 2 ** Math.min(20, failures - free));
}

/** Seconds this attempt must still wait (0: go ahead). */
export function signInWaitSeconds(c: FailureCounts, now: number): number {
  const until = (from: number | null, seconds: number) => (from === null || seconds === 0 ? 0 : Math.ceil((from + seconds * 1000 - now) / 1000));
  const waits = [
    until(c.pairLastAt, growingWaitSeconds(c.pair, LIMITS.freePerPair)),
    c.address >= LIMITS.perAddress ? until(c.addressOldestAt, LIMITS.windowMinutes * 60) : 0,
    c.knownAddress ? 0 : until(c.accountLastAt, growingWaitSeconds(c.account, LIMITS.perAccountUnknown))
  ];
  return Math.max(0, ...waits);
}

/** The wait in words, in whole minutes (at least one). */
export function waitMessage(seconds: number): string {
  return `Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau ${Math.max(1, Math.ceil(seconds / 60))} phút.`;
}
