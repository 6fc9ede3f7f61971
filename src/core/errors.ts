/**
 * The closed catalogue of domain errors. Core throws `AppError(code)`; each surface maps the code
 * to its own status and body (see `src/http/errors.ts` for the shared status table).
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, title: 'Validation failed' },
  UNKNOWN_FIELD: { status: 400, title: 'Unknown or read-only field' },
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  CREDENTIALS_INVALID: { status: 401, title: 'Invalid credentials' },
  USER_INACTIVE: { status: 401, title: 'User inactive or deleted' },
  PASSWORD_EXPIRED: { status: 401, title: 'Password expired' },
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  ORG_NOT_FOUND: { status: 404, title: 'Organization not found' },
  PROJECT_NOT_FOUND: { status: 404, title: 'Project not found' },
  KEY_NOT_FOUND: { status: 404, title: 'API key not found' },
  MEMBERSHIP_NOT_FOUND: { status: 404, title: 'Membership not found' },
  INVITATION_NOT_FOUND: { status: 404, title: 'Invitation not found' },
  GROUP_NOT_FOUND: { status: 404, title: 'Group not found' },
  ROLE_NOT_FOUND: { status: 404, title: 'Role not found' },
  /** CVAT: `org_id` given together with `org` or `X-Organization` */
  ORG_ID_CONFLICT: { status: 400, title: 'org_id cannot be combined with org or X-Organization' },
  /** CVAT: `org` and `X-Organization` both given with different values */
  ORG_HEADER_MISMATCH: { status: 400, title: 'org and X-Organization differ' },
  EMAIL_TAKEN: { status: 409, title: 'Email already in use' },
  USERNAME_TAKEN: { status: 409, title: 'Username already in use' },
  MOBILE_TAKEN: { status: 409, title: 'Mobile number already in use' },
  CONFLICT: { status: 409, title: 'Conflict' },
  LAST_OWNER: { status: 409, title: 'An organization keeps at least one owner' },
  SLUG_TAKEN: { status: 409, title: 'Organization slug already in use' },
  ALREADY_MEMBER: { status: 409, title: 'Already a member' },
  NAME_TAKEN: { status: 409, title: 'Name already in use' },
  IDEMPOTENCY_KEY_REUSED: { status: 400, title: 'Idempotency key already used with other parameters' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: 'A request with this idempotency key is still in progress' },
  PRECONDITION_FAILED: { status: 412, title: 'Precondition failed' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** One problem with one input field, in words a client can show. */
export interface FieldIssue {
  field: string;
  /** machine kind: required, too_long, too_short, pattern, format, type, unique, unknown, read_only, invalid */
  kind: string;
  message: string;
  /** bound or constraint involved, e.g. { max_length: 50 } */
  ctx?: Record<string, unknown>;
  input?: unknown;
}

export class AppError extends Error {
  override name = 'AppError';
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  /** seconds to wait, for RATE_LIMITED */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message?: string, opts: { issues?: FieldIssue[]; retryAfter?: number } = {}) {
    super(message ?? errorCatalogue[code].title);
    this.code = code;
    this.issues = opts.issues ?? [];
    this.retryAfter = opts.retryAfter;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  /** The first field at fault, if any. */
  get field(): string | undefined {
    return this.issues[0]?.field;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export function validationError(issues: FieldIssue[]): AppError {
  const first = issues[0];
  return new AppError('VALIDATION_FAILED', first ? `${first.field}: ${first.message}` : undefined, { issues });
}
