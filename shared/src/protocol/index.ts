export * from './version';
export * from './errors';
export * from './operations';
export * from './sync';
export * from './auth';
export * from './events';
export * from './catalog';
export * from './resolutions';
