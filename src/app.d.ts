import type { Principal } from '$lib/server/auth/principal';

declare global {
  namespace App {
    interface Error {
      message: string;
      errorId?: string;
    }
    interface Locals {
      principal: Principal;
    }
  }
}
export {};
