import type { Principal } from '$lib/server/auth/principal';

declare global {
  namespace App {
    interface Error {
      message: string;
      errorId?: string;
      /** Why a wall screen was refused (its token revoked, expired, unknown, or none). */
      reason?: 'revoked' | 'expired' | 'unknown' | 'missing';
    }
    interface Locals {
      principal: Principal;
    }
  }
}
export {};
