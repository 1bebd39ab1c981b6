import type { Ctx } from '../../core/service.ts';
import type { CommentTarget, CommentTargetResolver, ModuleManifest } from '../../core/module.ts';

export type { CommentTarget };

/**
 * The kinds of things people comment on come from the modules that own them (`commentTargets` in their manifests):
 * this module never reads another module's tables.
 */
let source: () => readonly ModuleManifest[] = () => [];
let byType: Map<string, CommentTargetResolver> | undefined;

/** Where the targets come from: every module of the platform (set once, when the module list is assembled). */
export function targetsFrom(modules: () => readonly ModuleManifest[]): void {
  source = modules;
  byType = undefined;
}

function resolver(type: string): CommentTargetResolver | undefined {
  if (!byType) {
    byType = new Map();
    for (const m of source()) for (const [k, r] of Object.entries(m.commentTargets ?? {})) {
      if (byType.has(k)) throw new Error(`The comment target ${k} is declared twice (module ${m.name})`);
      byType.set(k, r);
    }
  }
  return byType.get(type);
}

export function isTargetType(type: string): boolean {
  return !!resolver(type);
}

/** The target, or null when the type is unknown or the thing does not exist in this commune. */
export async function resolveTarget(ctx: Ctx, type: string, id: number): Promise<CommentTarget | null> {
  const r = resolver(type);
  // Ids are 32-bit integers: a larger number is no target (PostgreSQL would refuse to compare it).
  if (!r || !Number.isInteger(id) || id < 1 || id > 2_147_483_647) return null;
  return r(ctx, id);
}

/** Several targets at once (the moderation queue), one lookup per distinct target. */
export async function resolveTargets(ctx: Ctx, keys: { type: string; id: number }[]): Promise<Map<string, CommentTarget | null>> {
  const out = new Map<string, CommentTarget | null>();
  for (const k of keys) {
    const key = `${k.type}:${k.id}`;
    if (!out.has(key)) out.set(key, await resolveTarget(ctx, k.type, k.id));
  }
  return out;
}
