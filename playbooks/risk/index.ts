export * from './rules';
export * from './evaluate';
