import { customerById } from '../customers/index.ts';
import type { Id } from '../platform/ids.ts';
import { isoTime } from '../platform/clock.ts';
import type { AppContext } from '../platform/context.ts';
import type { CustomerSession } from '../platform/http/require-customer.ts';
import { maintenanceView } from '../platform/http/maintenance-gate.ts';
import { customerView, lastSignInBefore } from './login-session.ts';
import { readMaintenance } from './maintenance.ts';
import { liveSession, revokeSession } from './sessions.ts';
import { credentialOf } from './store.ts';

/**
 * What the session route tells the browser (API.md, "Session and login"): whether it is signed in and
 * as whom, the idle timeout it should warn before, and any maintenance notice. The CSRF token is the
 * route's (platform/http). Unknown or ended sessions read as signed out.
 */
export async function sessionState(ctx: AppContext, token: string | undefined) {
  const maintenance = await readMaintenance(ctx.db.kysely, ctx.clock.nowMs());
  const base = {
    idleTimeoutSeconds: ctx.config.sessionIdleTimeoutSeconds,
    ...(maintenance ? { maintenance: maintenanceView(maintenance) } : {}),
  };
  const session = await liveSession(ctx, token);
  const customer = session ? await customerById(ctx.db.kysely, session.customer_id) : undefined;
  if (!session || !customer) return { authenticated: false, ...base };
  return {
    authenticated: true,
    ...base,
    customer: customerView(
      customer,
      await credentialOf(ctx.db.kysely, session.customer_id),
      await lastSignInBefore(ctx.db.kysely, session.customer_id, session.created_at_ms),
    ),
    session: {
      channel: session.channel,
      createdAt: isoTime(session.created_at_ms),
      expiresAt: isoTime(session.expires_at_ms),
    },
  };
}

/** The customer session of a cookie's token, for requireCustomer (platform/http). */
export async function customerSessionOf(ctx: AppContext, token: string | undefined): Promise<CustomerSession | null> {
  const session = await liveSession(ctx, token);
  return session ? { customerId: session.customer_id as Id<'Customer'>, sessionId: session.id } : null;
}

/** Ends the session of a cookie's token on the server, if it is live. */
export async function logout(ctx: AppContext, token: string | undefined): Promise<void> {
  const session = await liveSession(ctx, token);
  if (session) await revokeSession(ctx, session.id);
}
