import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import { RuleError, ValidationError } from './errors.ts';
import type { FormState } from '../ui/components.tsx';
import type { Config } from '../../config.ts';

const NEVER_ECHOED = new Set(['_csrf', 'password', 'password_confirm']);

/** What the user typed, to put back into the form (never secrets). */
export function echoValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([k]) => !NEVER_ECHOED.has(k)));
}

/**
 * Runs a form's service call; on invalid input or a refused rule, re-renders
 * the form with what the user typed and the translated messages.
 */
export async function submitForm<R>(
  req: FastifyRequest,
  reply: FastifyReply,
  action: () => Promise<R>,
  rerender: (form: FormState, status: number) => FastifyReply | Promise<FastifyReply>,
  done: (result: R) => FastifyReply,
): Promise<FastifyReply> {
  let result: R;
  try {
    result = await action();
  } catch (e) {
    const values = echoValues(req.body);
    if (e instanceof ValidationError) return rerender({ values, errors: e.fields }, 400);
    if (e instanceof RuleError) {
      return e.field
        ? rerender({ values, errors: { [e.field]: { key: e.messageKey, params: e.params } } }, 422)
        : rerender({ values, errors: {}, formError: { key: e.messageKey, params: e.params } }, 422);
    }
    throw e;
  }
  return done(result);
}

/** Route options that rate-limit a public write: `max` per minute and per address. */
export function limited(config: Config, max: number): RouteShorthandOptions {
  if (config.rateLimitFactor <= 0) return {};
  return { config: { rateLimit: { max: Math.max(1, Math.round(max * config.rateLimitFactor)), timeWindow: '1 minute' } } };
}

/** The page number from a query string: a positive integer, else 1. */
export function pageParam(q: unknown): number {
  const n = Number((q as Record<string, unknown> | undefined)?.page);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

export function queryString(q: unknown, name: string, max = 200): string {
  const v = (q as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.slice(0, max).trim() : '';
}

export function intParam(p: unknown, name: string): number {
  const v = (p as Record<string, string> | undefined)?.[name];
  return v && /^\d{1,9}$/.test(v) ? Number(v) : -1;
}
