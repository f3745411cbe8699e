import { verifyAuditLog } from '../audit/index.ts';
import { openConfiguredDatabase } from './open.ts';

/** `npm run audit:verify`: walks the audit hash chains; exits 1 naming the first broken row. */
const db = openConfiguredDatabase();
try {
  const result = await verifyAuditLog(db.kysely);
  if (result.ok) {
    process.stdout.write(`audit log intact: ${result.rows} rows in ${result.chains} chain(s)\n`);
  } else {
    const { chainId, seq, id, reason } = result.broken;
    process.stdout.write(
      `audit log BROKEN at chain ${chainId}, row ${seq}${id ? ` (id ${id})` : ''}: ${reason}; ${result.rows} rows verified before it\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await db.close();
}
