/** Replaced at build time (vite.config.ts `define`). */
declare const __ORT_VERSION__: string;
