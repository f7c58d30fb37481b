// Development and tests run the TypeScript sources: worker threads do not inherit tsx's module hooks from the main
// thread, so register them here (the sources are CommonJS TypeScript), then load the worker. The built app loads
// out/main/core-worker.js instead (pool.ts).
import { createRequire } from 'node:module';
import { register as registerCjs } from 'tsx/cjs/api';

registerCjs();
createRequire(import.meta.url)('./core-worker.ts');
