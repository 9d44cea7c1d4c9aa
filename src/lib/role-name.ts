/** A role's name in the reader's language ("Lãnh đạo" / "Leader"), as the header and the admin screens show it. */
import { m } from './paraglide/messages.js';

const NAMES: Record<string, () => string> = { leader: m.layout_role_leader, officer: m.layout_role_officer, admin: m.layout_role_admin };

export const roleName = (role: string): string => NAMES[role]?.() ?? role;
