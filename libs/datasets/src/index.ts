export * from './data-dir';
export * from './csv';
export * from './cmapss';
export * from './audio';
export * from './cwru';
export * from './mimii';
export * from './group-split';
export * from './mat';
