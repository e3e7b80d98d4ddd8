export * from './types';
export * from './rules';
export * from './periods';
export * from './plan-generator';
export * from './conflicts';
export * from './scope';
export * from './plan-follow';
export * from './plan-reconcile';
