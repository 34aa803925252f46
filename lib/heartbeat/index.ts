export * from './protocol.js';
export * from '../run/heartbeat.js';
export * from './hooks.js';
