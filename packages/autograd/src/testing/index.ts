// by the package's own name, so that the published `@opt/autograd/testing` shares the engine
// (and its grad mode) with `@opt/autograd` instead of bundling a second copy
export { type GradcheckOptions, gradcheck } from '@opt/autograd';
