import { randomBytes } from 'node:crypto';

/** Broker-backed tests use random names so runs never see each other's topics, groups or tables. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** ClickHouse identifiers cannot contain dashes unquoted. */
export function uniqueTableName(prefix: string): string {
  return uniqueName(prefix).replace(/-/g, '_');
}
