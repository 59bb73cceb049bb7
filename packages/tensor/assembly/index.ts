export { sgemm, sgemmNT } from './gemm';
export { im2col, col2im, addRowBias } from './conv';
