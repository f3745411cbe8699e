import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { counterErrors as errors } from './errors.ts';
import { STAFF_SESSION_COOKIE, type StaffSession, staffSessionOf } from './staff.ts';
import type { StaffRole } from './store.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, set by requireStaff on counter routes. */
    staffSession: StaffSession;
  }
}

/**
 * A preHandler for counter routes: the request must carry a live staff session (the customer's
 * session counts for nothing here), and, when `roles` is given, one of those roles. The CSRF token of
 * state-changing requests was already checked against the staff session (platform/http/csrf.ts).
 */
export function requireStaff(ctx: AppContext, roles?: readonly StaffRole[]) {
  return async function requireStaffSession(request: FastifyRequest): Promise<void> {
    const session = await staffSessionOf(ctx, request.cookies[STAFF_SESSION_COOKIE]);
    if (!session) throw new AppError(errors['counter.session_required']);
    if (roles && !roles.includes(session.staff.role)) throw new AppError(errors['counter.role_forbidden']);
    request.staffSession = session;
  };
}
