export * from './types';
export * from './machine';
