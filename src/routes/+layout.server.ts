import type { LayoutServerLoad } from './$types';

/** The signed-in person for the header (never more than the header needs). */
export const load: LayoutServerLoad = ({ locals }) => {
  const p = locals.principal;
  return {
    me: p.kind === 'user' ? { username: p.user.username, displayName: p.user.displayName, role: p.user.role, unitCode: p.user.unitCode, unitName: p.user.unitName } : null
  };
};
