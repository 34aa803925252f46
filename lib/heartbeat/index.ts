export * from './protocol.js';
export * from './file.js';
export * from './hooks.js';
