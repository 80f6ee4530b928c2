export * from './clickhouse-client';
export * from './migrations';
