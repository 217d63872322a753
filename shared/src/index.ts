export * from './protocol/index';
export * from './domain/quantity';
export * from './domain/limits';
export * from './domain/permissions';
export * from './domain/decisions';
export * from './domain/resolve';
export * from './domain/csv';
export * from './domain/catalog-import';
