#!/usr/bin/env node
// `npx sellerworks …` in a clone: the ops command line, its TypeScript run through tsx as `npm start` runs it.
import { register } from 'tsx/esm/api';

register();
await import('../cli/sellerworks.ts');
