export * from './data-dir';
export * from './cmapss';
export * from './audio';
