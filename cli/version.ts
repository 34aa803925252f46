/** What `fleet --version` prints (cli/entry.ts answers it before anything else is loaded). */
export const VERSION = process.env.FLEET_VERSION ?? '0.1.0';
