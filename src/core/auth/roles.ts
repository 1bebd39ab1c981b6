export const ROLES = [
  'citizen',
  'counter_agent',
  'department_staff',
  'operator_staff',
  'ogp_team',
  'steering_member',
  'monitor',
  'moderator',
  'mediator',
  // The designated officer for access-to-information requests (Law 31-13).
  'information_officer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that only make sense for a given institution kind. */
export const SCOPED_ROLES: Partial<Record<Role, 'department' | 'operator'>> = {
  department_staff: 'department',
  operator_staff: 'operator',
};

export function isRole(x: string): x is Role {
  return (ROLES as readonly string[]).includes(x);
}

export interface Grant { role: Role; institutionId: number | null }

export interface Actor {
  userId: number;
  communeId: number;
  email: string;
  name: string;
  grants: Grant[];
  /** A platform operator (`platform_operators`, granted by the CLI only): holds the `platform.*` permissions, in every commune. */
  operator?: boolean;
}

/** Permissions of the platform itself (creating, suspending communes): operators only, never a commune's role, not even admin. */
export const isPlatformPermission = (permission: string) => permission.startsWith('platform.');

/** Every permission a module declares, with the roles that hold it. */
const registry = new Map<string, Set<Role>>();

export function declarePermissions(perms: Record<string, readonly Role[]>): void {
  for (const [perm, roles] of Object.entries(perms)) {
    const set = registry.get(perm) ?? new Set<Role>();
    for (const r of roles) if (!isPlatformPermission(perm)) set.add(r);
    if (!isPlatformPermission(perm)) set.add('admin');
    registry.set(perm, set);
  }
}

export function permissionTable(): Record<string, Role[]> {
  return Object.fromEntries([...registry].map(([k, v]) => [k, [...v]]));
}

/**
 * The one permission check. `scope.institutionId` restricts scoped roles
 * (department or operator staff) to their own institution's rows.
 */
export function can(actor: Actor | null | undefined, permission: string, scope?: { institutionId?: number | null }): boolean {
  if (!actor) return false;
  const allowed = registry.get(permission);
  if (!allowed) throw new Error(`Unknown permission: ${permission}`);
  if (isPlatformPermission(permission)) return actor.operator === true;
  return actor.grants.some((g) => {
    if (!allowed.has(g.role)) return false;
    if (SCOPED_ROLES[g.role] && scope && scope.institutionId !== undefined) return g.institutionId === scope.institutionId;
    return true;
  });
}

export function hasRole(actor: Actor | null | undefined, role: Role): boolean {
  return !!actor?.grants.some((g) => g.role === role);
}
