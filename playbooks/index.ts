export * from './graph';
export * from './form';
export * from './problems';
export * from './plan';
export * from './duration';
export * from './directory';
export * from './compile';
export * from './canonical';
export { NODE_KINDS, findNodeKind, nodeKind } from './nodes';
