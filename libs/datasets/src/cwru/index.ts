export * from './cwru-index';
export * from './cwru-files';
export * from './cwru-windows';
