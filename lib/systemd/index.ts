export * from './units.js';
export * from './systemctl.js';
