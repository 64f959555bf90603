import { defineConfig } from 'vitest/config';
import { aliases, defines } from './config/common.ts';

export default defineConfig({
  resolve: { alias: aliases },
  define: {
    ...defines,
    // Injected by vite.sw.config.ts in a real build.
    __SHELL_VERSION__: JSON.stringify('test-version'),
    __SHELL_FILES__: JSON.stringify(['/']),
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
