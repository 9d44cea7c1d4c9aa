/** Who is asking: a signed-in person, a wall screen's display token, or nobody. */
import type { Role } from '#db/schema/auth';
export { ROLES, type Role } from '#db/schema/auth';

export interface SignedInUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** An officer's unit (GSO code); null for leaders and admins. */
  unitCode: string | null;
  unitName: string | null;
}

export type Principal =
  | { kind: 'user'; user: SignedInUser; sessionId: string }
  | { kind: 'display'; tokenId: number; name: string; scopeCode: string; playlist: { scenes: string[]; dwellSeconds: number } }
  /** An administrator's API token: acts as an administrator on /api/v1/admin/* only (hooks.server.ts). */
  | { kind: 'api_token'; tokenId: number; name: string }
  /** The product itself, e.g. the provisioning file applied at start (audited under `name`). */
  | { kind: 'system'; name: string }
  | { kind: 'anonymous' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
