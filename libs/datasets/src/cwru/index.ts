export * from './cwru-index';
export * from './cwru-files';
