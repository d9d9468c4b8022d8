import { defineConfig } from 'vitest/config';

// pool 'forks': fork() and native addons are unsafe in worker threads, and the vm pools break
// `instanceof Error`. Each test file runs in its own child process.
// Tests import the package by its own name ('posix-ipc', 'posix-ipc/raw'): they run the built
// dist/ exactly as a user loads it, so dist/ is loaded by Node itself, never transformed by Vite.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fd-check.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    server: { deps: { external: [/\/dist\//] } },
    // --expose-gc: the soak test measures resident memory after a full collection.
    poolOptions: { forks: { execArgv: ['--expose-gc'] } },
  },
});
