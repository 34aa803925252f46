export * from './types.js';
export * from './config.js';
export * from './registry.js';
export { verifySignature } from './webhook.js';
