import {
  CounterEnterpriseDetail,
  CounterEnterpriseList,
  CounterEnterpriseQuery,
  CounterOperatorParams,
  CounterOperatorUnlocked,
  enterpriseForCounter,
  findEnterprises,
  unlockOperatorAtCounter,
} from '../corporate/index.ts';
import type { AppContext } from '../platform/context.ts';
import { withTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/types.ts';
import { requireStaff } from './guard.ts';
import { sendPerformed } from './operation-routes.ts';
import { perform } from './operations.ts';
import { ApprovalRequired, EmptyBody, IdParams } from './schema.ts';

/**
 * Corporate customers at the counter: the teller finds an enterprise (enterprise code, unified social
 * credit code or name), reads its accounts and operators, and lifts an operator's password lock, each a
 * call into corporate/ (registration itself is POST /api/v1/counter/enterprises, in corporate's routes).
 * The unlock is a counter operation: one audit row naming teller and branch, and a receipt.
 */
export async function registerEnterpriseRoutes(app: App, ctx: AppContext) {
  const tags = ['counter'];
  const staffOnly = { preHandler: requireStaff(ctx) };

  app.get(
    '/api/v1/counter/enterprises',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'Find an enterprise by enterprise code, unified social credit code or name',
        querystring: CounterEnterpriseQuery,
        response: { 200: CounterEnterpriseList },
      },
    },
    (request) => findEnterprises(ctx.db.kysely, request.query.q),
  );
  app.get(
    '/api/v1/counter/enterprises/:id',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: 'One enterprise: its accounts with balances, its operators with their locks',
        params: IdParams,
        response: { 200: CounterEnterpriseDetail },
      },
    },
    (request) => enterpriseForCounter(ctx, request.params.id),
  );
  app.post(
    '/api/v1/counter/enterprises/:id/operators/:operatorId/unlock',
    {
      ...staffOnly,
      schema: {
        tags,
        summary: "Lift a corporate operator's password lock",
        params: CounterOperatorParams,
        body: EmptyBody,
        response: { 200: CounterOperatorUnlocked, 202: ApprovalRequired },
      },
    },
    async function unlockOperator(request, reply) {
      const staff = request.staffSession.staff;
      const { id, operatorId } = request.params;
      const performed = await withTransaction(ctx.db.kysely, (trx) =>
        perform(
          trx,
          ctx,
          staff,
          { kind: 'enterprise.operator_unlock', params: { enterpriseId: id, operatorId } },
          {
            ip: request.ip,
            needsApproval: false,
            execute: async (inner) => {
              const done = await unlockOperatorAtCounter(inner, ctx, {
                enterpriseId: id,
                operatorId,
                staffId: staff.id,
                ip: request.ip,
              });
              return { result: done, reply: { wasLocked: done.wasLocked } };
            },
          },
        ),
      );
      return sendPerformed(reply, performed, (answer) => ({ status: 'completed', ...answer }));
    },
  );
}
