import type { ModuleManifest, RelatedGroup } from './module.ts';
import type { Ctx } from './service.ts';

/**
 * The platform's modules, for core code that asks them for what they contribute at run time (linked items). Set
 * once by `src/modules/index.ts`, the one place that knows every module; core never imports a module.
 */
let all: readonly ModuleManifest[] = [];

export function useModules(modules: readonly ModuleManifest[]): void {
  all = modules;
}

/** What every module links to a thing of another module (`commitment` 12), group by group, in the modules' order. */
export async function relatedTo(ctx: Ctx, type: string, id: number): Promise<RelatedGroup[]> {
  const providers = all.map((m) => m.related?.[type]).filter((p): p is NonNullable<typeof p> => !!p);
  const groups = await Promise.all(providers.map((p) => p(ctx, id)));
  return groups.flat().filter((g) => g.items.length > 0);
}
