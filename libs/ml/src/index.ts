export { tf } from './runtime';
