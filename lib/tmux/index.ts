export * from './argv.js';
export * from './client.js';
export * from './panes.js';
export * from './takeover.js';
