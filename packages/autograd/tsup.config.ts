import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.base';

// `testing` re-exports '@opt/autograd' by name (kept external), so both entries share one engine
export default defineConfig({
  ...packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' }),
  external: ['@opt/autograd'],
});
