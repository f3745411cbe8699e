export { type AuditEvent, appendAudit, verifyAuditLog, type VerifyResult } from './service.ts';
export type { AuditTables } from './store.ts';
export { auditMigrations } from './migrations.ts';
