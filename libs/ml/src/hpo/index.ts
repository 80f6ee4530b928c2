export * from './search-space';
export * from './successive-halving';
