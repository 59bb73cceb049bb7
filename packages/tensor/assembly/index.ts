export { sgemm } from './gemm';
export { im2col, col2im, addRowBias } from './conv';
