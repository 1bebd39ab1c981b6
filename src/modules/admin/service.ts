import { authorize, type Ctx } from '../../core/service.ts';
import * as repo from './repo.ts';

/** One page of the audit trail, for those who may read it. */
export async function auditPage(ctx: Ctx, page: number, pageSize: number) {
  authorize(ctx, 'audit.read');
  const [total, rows] = await Promise.all([repo.auditTotal(ctx.db, ctx.commune.id), repo.auditEntries(ctx.db, ctx.commune.id, page, pageSize)]);
  return { total, rows };
}
