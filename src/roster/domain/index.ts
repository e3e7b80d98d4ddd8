export * from './types';
export * from './rules';
export * from './periods';
export * from './plan-generator';
export * from './conflicts';
export * from './scope';
