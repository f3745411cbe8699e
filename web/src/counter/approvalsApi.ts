import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { type Approval, type ApprovalDecision, counterApi, counterKeys } from './counterApi';

/** The badge refreshes this often, but only while the teller is at the keyboard (see below). */
const POLL_MS = 30_000;
/** A poll happens only if someone typed or clicked within this time. */
const ACTIVE_WINDOW_MS = 60_000;

/**
 * The branch's requests waiting for a supervisor. Every request restarts the server's 5-minute staff idle
 * timer, so polling alone would keep an abandoned terminal signed in for ever: the list refreshes every
 * 30 s only while somebody used this terminal in the last minute, and after every operation.
 */
export function usePendingApprovals() {
  const query = useApprovalsList();
  const lastInputMs = useRef(Date.now());
  const { refetch } = query;
  const client = useQueryClient();
  const pendingIds = useRef<Set<string>>(new Set());
  const items = query.data?.items;
  useEffect(() => {
    if (!items) return;
    // A request that left the list was decided (or expired) elsewhere: the customer on screen may have changed.
    const now = new Set(items.map((item) => item.id));
    const decided = [...pendingIds.current].some((id) => !now.has(id));
    pendingIds.current = now;
    if (decided) void client.invalidateQueries({ queryKey: counterKeys.customers });
  }, [items, client]);
  useEffect(() => {
    const note = () => {
      lastInputMs.current = Date.now();
    };
    window.addEventListener('keydown', note, true);
    window.addEventListener('pointerdown', note, true);
    const timer = window.setInterval(() => {
      if (Date.now() - lastInputMs.current < ACTIVE_WINDOW_MS) void refetch();
    }, POLL_MS);
    return () => {
      window.removeEventListener('keydown', note, true);
      window.removeEventListener('pointerdown', note, true);
      window.clearInterval(timer);
    };
  }, [refetch]);
  return query;
}

/** The branch's pending requests; `fresh` loads them again when the inbox opens. */
export function useApprovalsList(options: { fresh?: boolean } = {}) {
  return useQuery({
    queryKey: counterKeys.approvals,
    queryFn: () => counterApi<{ items: Approval[] }>('/api/v1/counter/approvals?state=pending'),
    staleTime: 10_000,
    refetchOnMount: options.fresh ? 'always' : true,
  });
}

/** Approves or rejects a pending request (a supervisor of the branch, not its maker). */
export function decide(id: string, decision: { kind: 'approve' } | { kind: 'reject'; reason: string }) {
  const path = `/api/v1/counter/approvals/${encodeURIComponent(id)}/${decision.kind}`;
  return counterApi<ApprovalDecision>(path, {
    method: 'POST',
    body: decision.kind === 'reject' ? { reason: decision.reason } : {},
  });
}
