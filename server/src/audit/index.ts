/** What other domains may use of the audit log: append events in their transaction, verify the chains. */
export {
  type AuditEvent,
  appendAudit,
  appendAudits,
  POSTGRES_CHAINS,
  verifyAuditLog,
  type VerifyResult,
} from './service.ts';
export { type AuditRow, type AuditTables, countEventsSince, recentEventsAbout } from './store.ts';
export { auditMigrations } from './migrations.ts';
