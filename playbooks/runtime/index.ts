export * from './types';
export * from './machine';
export * from './permissions';
export * from './answers';
export * from './errors';
export * from './time';
export * from './operations';
export * from './waits';
