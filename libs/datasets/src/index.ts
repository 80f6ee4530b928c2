export * from './data-dir';
export * from './cmapss';
