import { accountExecutors } from './account-ops.ts';
import { cashExecutors } from './cash.ts';
import { ebankingExecutors } from './ebanking-ops.ts';
import { mediaExecutors } from './media-ops.ts';
import type { Executor } from './operations.ts';

/**
 * The effect of each kind of operation that may wait for approval, looked up when a supervisor
 * approves (approvals.ts). Operations that never wait run their effect directly and are not listed.
 */
export const EXECUTORS: Readonly<Record<string, Executor>> = {
  ...cashExecutors,
  ...ebankingExecutors,
  ...accountExecutors,
  ...mediaExecutors,
};
