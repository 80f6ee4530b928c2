export * from './mat-v5';
