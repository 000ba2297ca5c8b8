import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The CLI and the extraction worker processes run compiled code: build it once, first.
    globalSetup: ['test/globalSetup.ts'],
  },
});
