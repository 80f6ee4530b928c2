export * from './mimii-layout';
export * from './mimii-files';
