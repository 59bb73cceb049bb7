export { clipGradNorm_, clipGradValue_, type HasGrad } from './clip-grad';
