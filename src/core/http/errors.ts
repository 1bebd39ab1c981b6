/** Errors a service may throw; the HTTP layer turns each into the right status and a translated message. */
export class AppError extends Error {
  constructor(public status: number, public code: string, public messageKey: string, public params: Record<string, unknown> = {}) {
    super(code);
  }
}
export class NotFoundError extends AppError {
  constructor() { super(404, 'not_found', 'errors.notFound'); }
}
export class ForbiddenError extends AppError {
  constructor() { super(403, 'forbidden', 'errors.forbidden'); }
}
export class UnauthenticatedError extends AppError {
  constructor() { super(401, 'unauthenticated', 'errors.unauthenticated'); }
}
/** A business rule refused the change (for example: it would break parity). */
export class RuleError extends AppError {
  constructor(messageKey: string, params: Record<string, unknown> = {}, public field?: string) {
    super(422, 'rule_violated', messageKey, params);
  }
}

export type FieldErrors = Record<string, { key: string; params?: Record<string, unknown> }>;

/** Input did not validate: the form re-renders with these messages beside the fields. */
export class ValidationError extends AppError {
  constructor(public fields: FieldErrors) { super(400, 'invalid_input', 'errors.invalid'); }
}
