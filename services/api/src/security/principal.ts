/** Who is calling, once authenticated: an API key or a JWT subject, with one role. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Each role may do what the roles before it may. */
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Principal {
  /** Key name or token subject: who feedback is attributed to, and the rate-limit bucket. */
  id: string;
  role: Role;
  via: 'api-key' | 'jwt';
  /** Requests per rate-limit window; undefined = the configured default. */
  limit?: number;
}

export function hasRole(principal: Pick<Principal, 'role'>, needed: Role): boolean {
  return RANK[principal.role] >= RANK[needed];
}
