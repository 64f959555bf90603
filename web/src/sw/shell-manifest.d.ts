/** Injected by vite.sw.config.ts from the app build's output. */
declare const __SHELL_VERSION__: string;
declare const __SHELL_FILES__: readonly string[];
