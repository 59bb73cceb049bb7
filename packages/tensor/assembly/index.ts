export { sgemm, sgemmNT, sgemmConv, convWeightGrad } from './gemm';
export { im2col, col2im, addRowBias } from './conv';
