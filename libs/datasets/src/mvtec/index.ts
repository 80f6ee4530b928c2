export * from './mvtec-layout';
export * from './image-decoder';
