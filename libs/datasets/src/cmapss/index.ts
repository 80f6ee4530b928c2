export * from './cmapss-format';
export * from './cmapss-files';
export * from './operating-conditions';
export * from './sensor-selection';
export * from './condition-normaliser';
export * from './cmapss-windows';
export * from './engine-split';
