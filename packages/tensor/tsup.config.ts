import { defineConfig } from 'tsup';
import { packageConfig } from '../../tsup.base';

// `testing` imports '@opt/tensor' by name (kept external), so both entries share one Tensor class
export default defineConfig({
  ...packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' }),
  external: ['@opt/tensor'],
});
