//go:build amd64 && !purego

// AVX2 and FMA kernels for the dense layers of generated packages. bpgen
// copies this file into every generated package; simd_amd64.go decides at
// run time whether the CPU has AVX2 and FMA.

#include "textflag.h"

// func simdDot32AVX(a, b []float32) float32
TEXT ·simdDot32AVX(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ b_base+24(FP), DI
	MOVQ a_len+8(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
dot32loop32:
	CMPQ CX, $32
	JL   dot32loop8
	VMOVUPS (SI), Y4
	VMOVUPS 32(SI), Y5
	VMOVUPS 64(SI), Y6
	VMOVUPS 96(SI), Y7
	VFMADD231PS (DI), Y4, Y0
	VFMADD231PS 32(DI), Y5, Y1
	VFMADD231PS 64(DI), Y6, Y2
	VFMADD231PS 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  dot32loop32
dot32loop8:
	CMPQ CX, $8
	JL   dot32reduce
	VMOVUPS (SI), Y4
	VFMADD231PS (DI), Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  dot32loop8
dot32reduce:
	VADDPS Y1, Y0, Y0
	VADDPS Y3, Y2, Y2
	VADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VHADDPS X0, X0, X0
	VHADDPS X0, X0, X0
dot32tail:
	CMPQ CX, $0
	JE   dot32done
	VMOVSS (SI), X4
	VFMADD231SS (DI), X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  dot32tail
dot32done:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET

// func simdAxpy32AVX(y []float32, a float32, x []float32)
TEXT ·simdAxpy32AVX(SB), NOSPLIT, $0-56
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ x_base+32(FP), SI
	VBROADCASTSS a+24(FP), Y0
axpy32loop16:
	CMPQ CX, $16
	JL   axpy32loop8
	VMOVUPS (DI), Y1
	VMOVUPS 32(DI), Y2
	VFMADD231PS (SI), Y0, Y1
	VFMADD231PS 32(SI), Y0, Y2
	VMOVUPS Y1, (DI)
	VMOVUPS Y2, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  axpy32loop16
axpy32loop8:
	CMPQ CX, $8
	JL   axpy32tail
	VMOVUPS (DI), Y1
	VFMADD231PS (SI), Y0, Y1
	VMOVUPS Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP  axpy32loop8
axpy32tail:
	CMPQ CX, $0
	JE   axpy32done
	VMOVSS (DI), X1
	VFMADD231SS (SI), X0, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  axpy32tail
axpy32done:
	VZEROUPPER
	RET

// func simdDot64AVX(a, b []float64) float64
TEXT ·simdDot64AVX(SB), NOSPLIT, $0-56
	MOVQ a_base+0(FP), SI
	MOVQ b_base+24(FP), DI
	MOVQ a_len+8(FP), CX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
dot64loop16:
	CMPQ CX, $16
	JL   dot64loop4
	VMOVUPD (SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VFMADD231PD (DI), Y4, Y0
	VFMADD231PD 32(DI), Y5, Y1
	VFMADD231PD 64(DI), Y6, Y2
	VFMADD231PD 96(DI), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $16, CX
	JMP  dot64loop16
dot64loop4:
	CMPQ CX, $4
	JL   dot64reduce
	VMOVUPD (SI), Y4
	VFMADD231PD (DI), Y4, Y0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $4, CX
	JMP  dot64loop4
dot64reduce:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
dot64tail:
	CMPQ CX, $0
	JE   dot64done
	VMOVSD (SI), X4
	VFMADD231SD (DI), X4, X0
	ADDQ $8, SI
	ADDQ $8, DI
	DECQ CX
	JMP  dot64tail
dot64done:
	VZEROUPPER
	MOVSD X0, ret+48(FP)
	RET

// func simdAxpy64AVX(y []float64, a float64, x []float64)
TEXT ·simdAxpy64AVX(SB), NOSPLIT, $0-56
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ x_base+32(FP), SI
	VBROADCASTSD a+24(FP), Y0
axpy64loop8:
	CMPQ CX, $8
	JL   axpy64loop4
	VMOVUPD (DI), Y1
	VMOVUPD 32(DI), Y2
	VFMADD231PD (SI), Y0, Y1
	VFMADD231PD 32(SI), Y0, Y2
	VMOVUPD Y1, (DI)
	VMOVUPD Y2, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $8, CX
	JMP  axpy64loop8
axpy64loop4:
	CMPQ CX, $4
	JL   axpy64tail
	VMOVUPD (DI), Y1
	VFMADD231PD (SI), Y0, Y1
	VMOVUPD Y1, (DI)
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $4, CX
	JMP  axpy64loop4
axpy64tail:
	CMPQ CX, $0
	JE   axpy64done
	VMOVSD (DI), X1
	VFMADD231SD (SI), X0, X1
	VMOVSD X1, (DI)
	ADDQ $8, SI
	ADDQ $8, DI
	DECQ CX
	JMP  axpy64tail
axpy64done:
	VZEROUPPER
	RET

// func simdCPUID(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·simdCPUID(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func simdXGETBV() (eax uint32)
TEXT ·simdXGETBV(SB), NOSPLIT, $0-4
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	RET

// HSUM adds the eight float32 lanes of Y register ry into the low lane of
// its X register rx, with rt as scratch.
#define HSUM(ry, rx, rt) \
	VEXTRACTF128 $1, ry, rt; \
	VADDPS rt, rx, rx; \
	VHADDPS rx, rx, rx; \
	VHADDPS rx, rx, rx

// func simdDot4x32AVX(w0, w1, w2, w3, x []float32) (s0, s1, s2, s3 float32)
//
// Four dot products in one pass over x: each 8-element block of x is
// loaded once for four rows, and eight accumulators (two per row) keep the
// FMA units busy.
TEXT ·simdDot4x32AVX(SB), NOSPLIT, $0-136
	MOVQ w0_base+0(FP), R8
	MOVQ w1_base+24(FP), R9
	MOVQ w2_base+48(FP), R10
	MOVQ w3_base+72(FP), R11
	MOVQ x_base+96(FP), SI
	MOVQ x_len+104(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
dot4x32loop16:
	CMPQ CX, $16
	JL   dot4x32loop8
	VMOVUPS (SI), Y8
	VMOVUPS 32(SI), Y9
	VFMADD231PS (R8), Y8, Y0
	VFMADD231PS (R9), Y8, Y1
	VFMADD231PS (R10), Y8, Y2
	VFMADD231PS (R11), Y8, Y3
	VFMADD231PS 32(R8), Y9, Y4
	VFMADD231PS 32(R9), Y9, Y5
	VFMADD231PS 32(R10), Y9, Y6
	VFMADD231PS 32(R11), Y9, Y7
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	SUBQ $16, CX
	JMP  dot4x32loop16
dot4x32loop8:
	CMPQ CX, $8
	JL   dot4x32reduce
	VMOVUPS (SI), Y8
	VFMADD231PS (R8), Y8, Y0
	VFMADD231PS (R9), Y8, Y1
	VFMADD231PS (R10), Y8, Y2
	VFMADD231PS (R11), Y8, Y3
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	SUBQ $8, CX
dot4x32reduce:
	VADDPS Y4, Y0, Y0
	VADDPS Y5, Y1, Y1
	VADDPS Y6, Y2, Y2
	VADDPS Y7, Y3, Y3
	HSUM(Y0, X0, X8)
	HSUM(Y1, X1, X8)
	HSUM(Y2, X2, X8)
	HSUM(Y3, X3, X8)
dot4x32tail:
	CMPQ CX, $0
	JE   dot4x32done
	VMOVSS (SI), X8
	VFMADD231SS (R8), X8, X0
	VFMADD231SS (R9), X8, X1
	VFMADD231SS (R10), X8, X2
	VFMADD231SS (R11), X8, X3
	ADDQ $4, SI
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ CX
	JMP  dot4x32tail
dot4x32done:
	VZEROUPPER
	MOVSS X0, s0+120(FP)
	MOVSS X1, s1+124(FP)
	MOVSS X2, s2+128(FP)
	MOVSS X3, s3+132(FP)
	RET

// func simdAxpy4x32AVX(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32)
//
// y += a0*x0 + a1*x1 + a2*x2 + a3*x3 in one pass over y: each block of y
// is loaded and stored once for four rows.
TEXT ·simdAxpy4x32AVX(SB), NOSPLIT, $0-136
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	VBROADCASTSS a0+24(FP), Y0
	VBROADCASTSS a1+28(FP), Y1
	VBROADCASTSS a2+32(FP), Y2
	VBROADCASTSS a3+36(FP), Y3
	MOVQ x0_base+40(FP), R8
	MOVQ x1_base+64(FP), R9
	MOVQ x2_base+88(FP), R10
	MOVQ x3_base+112(FP), R11
axpy4x32loop16:
	CMPQ CX, $16
	JL   axpy4x32loop8
	VMOVUPS (DI), Y4
	VMOVUPS 32(DI), Y5
	VFMADD231PS (R8), Y0, Y4
	VFMADD231PS 32(R8), Y0, Y5
	VFMADD231PS (R9), Y1, Y4
	VFMADD231PS 32(R9), Y1, Y5
	VFMADD231PS (R10), Y2, Y4
	VFMADD231PS 32(R10), Y2, Y5
	VFMADD231PS (R11), Y3, Y4
	VFMADD231PS 32(R11), Y3, Y5
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, 32(DI)
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	SUBQ $16, CX
	JMP  axpy4x32loop16
axpy4x32loop8:
	CMPQ CX, $8
	JL   axpy4x32tail
	VMOVUPS (DI), Y4
	VFMADD231PS (R8), Y0, Y4
	VFMADD231PS (R9), Y1, Y4
	VFMADD231PS (R10), Y2, Y4
	VFMADD231PS (R11), Y3, Y4
	VMOVUPS Y4, (DI)
	ADDQ $32, DI
	ADDQ $32, R8
	ADDQ $32, R9
	ADDQ $32, R10
	ADDQ $32, R11
	SUBQ $8, CX
axpy4x32tail:
	CMPQ CX, $0
	JE   axpy4x32done
	VMOVSS (DI), X4
	VFMADD231SS (R8), X0, X4
	VFMADD231SS (R9), X1, X4
	VFMADD231SS (R10), X2, X4
	VFMADD231SS (R11), X3, X4
	VMOVSS X4, (DI)
	ADDQ $4, DI
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ CX
	JMP  axpy4x32tail
axpy4x32done:
	VZEROUPPER
	RET

// The AVX-512 kernels: the float32 kernels above with 16 lanes to a
// register. They use AVX512F instructions only.

// HSUM512 adds the sixteen float32 lanes of Z register rz into the low lane
// of its X register rx; ry is rz's Y register, rt a scratch Y register and
// rtx its X register.
#define HSUM512(rz, ry, rx, rt, rtx) \
	VEXTRACTF64X4 $1, rz, rt; \
	VADDPS rt, ry, ry; \
	VEXTRACTF128 $1, ry, rtx; \
	VADDPS rtx, rx, rx; \
	VHADDPS rx, rx, rx; \
	VHADDPS rx, rx, rx

// func simdDot32AVX512(a, b []float32) float32
TEXT ·simdDot32AVX512(SB), NOSPLIT, $0-52
	MOVQ a_base+0(FP), SI
	MOVQ b_base+24(FP), DI
	MOVQ a_len+8(FP), CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
dot32z64:
	CMPQ CX, $64
	JL   dot32z16
	VMOVUPS (SI), Z4
	VMOVUPS 64(SI), Z5
	VMOVUPS 128(SI), Z6
	VMOVUPS 192(SI), Z7
	VFMADD231PS (DI), Z4, Z0
	VFMADD231PS 64(DI), Z5, Z1
	VFMADD231PS 128(DI), Z6, Z2
	VFMADD231PS 192(DI), Z7, Z3
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $64, CX
	JMP  dot32z64
dot32z16:
	CMPQ CX, $16
	JL   dot32zreduce
	VMOVUPS (SI), Z4
	VFMADD231PS (DI), Z4, Z0
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  dot32z16
dot32zreduce:
	VADDPS Z1, Z0, Z0
	VADDPS Z3, Z2, Z2
	VADDPS Z2, Z0, Z0
	HSUM512(Z0, Y0, X0, Y8, X8)
dot32ztail:
	CMPQ CX, $0
	JE   dot32zdone
	VMOVSS (SI), X4
	VFMADD231SS (DI), X4, X0
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  dot32ztail
dot32zdone:
	VZEROUPPER
	MOVSS X0, ret+48(FP)
	RET

// func simdAxpy32AVX512(y []float32, a float32, x []float32)
TEXT ·simdAxpy32AVX512(SB), NOSPLIT, $0-56
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	MOVQ x_base+32(FP), SI
	VBROADCASTSS a+24(FP), Z0
axpy32z32:
	CMPQ CX, $32
	JL   axpy32z16
	VMOVUPS (DI), Z1
	VMOVUPS 64(DI), Z2
	VFMADD231PS (SI), Z0, Z1
	VFMADD231PS 64(SI), Z0, Z2
	VMOVUPS Z1, (DI)
	VMOVUPS Z2, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP  axpy32z32
axpy32z16:
	CMPQ CX, $16
	JL   axpy32ztail
	VMOVUPS (DI), Z1
	VFMADD231PS (SI), Z0, Z1
	VMOVUPS Z1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
axpy32ztail:
	CMPQ CX, $0
	JE   axpy32zdone
	VMOVSS (DI), X1
	VFMADD231SS (SI), X0, X1
	VMOVSS X1, (DI)
	ADDQ $4, SI
	ADDQ $4, DI
	DECQ CX
	JMP  axpy32ztail
axpy32zdone:
	VZEROUPPER
	RET

// func simdDot4x32AVX512(w0, w1, w2, w3, x []float32) (s0, s1, s2, s3 float32)
TEXT ·simdDot4x32AVX512(SB), NOSPLIT, $0-136
	MOVQ w0_base+0(FP), R8
	MOVQ w1_base+24(FP), R9
	MOVQ w2_base+48(FP), R10
	MOVQ w3_base+72(FP), R11
	MOVQ x_base+96(FP), SI
	MOVQ x_len+104(FP), CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
dot4x32z32:
	CMPQ CX, $32
	JL   dot4x32z16
	VMOVUPS (SI), Z8
	VMOVUPS 64(SI), Z9
	VFMADD231PS (R8), Z8, Z0
	VFMADD231PS (R9), Z8, Z1
	VFMADD231PS (R10), Z8, Z2
	VFMADD231PS (R11), Z8, Z3
	VFMADD231PS 64(R8), Z9, Z4
	VFMADD231PS 64(R9), Z9, Z5
	VFMADD231PS 64(R10), Z9, Z6
	VFMADD231PS 64(R11), Z9, Z7
	ADDQ $128, SI
	ADDQ $128, R8
	ADDQ $128, R9
	ADDQ $128, R10
	ADDQ $128, R11
	SUBQ $32, CX
	JMP  dot4x32z32
dot4x32z16:
	CMPQ CX, $16
	JL   dot4x32zreduce
	VMOVUPS (SI), Z8
	VFMADD231PS (R8), Z8, Z0
	VFMADD231PS (R9), Z8, Z1
	VFMADD231PS (R10), Z8, Z2
	VFMADD231PS (R11), Z8, Z3
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	SUBQ $16, CX
dot4x32zreduce:
	VADDPS Z4, Z0, Z0
	VADDPS Z5, Z1, Z1
	VADDPS Z6, Z2, Z2
	VADDPS Z7, Z3, Z3
	HSUM512(Z0, Y0, X0, Y8, X8)
	HSUM512(Z1, Y1, X1, Y8, X8)
	HSUM512(Z2, Y2, X2, Y8, X8)
	HSUM512(Z3, Y3, X3, Y8, X8)
dot4x32ztail:
	CMPQ CX, $0
	JE   dot4x32zdone
	VMOVSS (SI), X8
	VFMADD231SS (R8), X8, X0
	VFMADD231SS (R9), X8, X1
	VFMADD231SS (R10), X8, X2
	VFMADD231SS (R11), X8, X3
	ADDQ $4, SI
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ CX
	JMP  dot4x32ztail
dot4x32zdone:
	VZEROUPPER
	MOVSS X0, s0+120(FP)
	MOVSS X1, s1+124(FP)
	MOVSS X2, s2+128(FP)
	MOVSS X3, s3+132(FP)
	RET

// func simdAxpy4x32AVX512(y []float32, a0, a1, a2, a3 float32, x0, x1, x2, x3 []float32)
TEXT ·simdAxpy4x32AVX512(SB), NOSPLIT, $0-136
	MOVQ y_base+0(FP), DI
	MOVQ y_len+8(FP), CX
	VBROADCASTSS a0+24(FP), Z0
	VBROADCASTSS a1+28(FP), Z1
	VBROADCASTSS a2+32(FP), Z2
	VBROADCASTSS a3+36(FP), Z3
	MOVQ x0_base+40(FP), R8
	MOVQ x1_base+64(FP), R9
	MOVQ x2_base+88(FP), R10
	MOVQ x3_base+112(FP), R11
axpy4x32z32:
	CMPQ CX, $32
	JL   axpy4x32z16
	VMOVUPS (DI), Z4
	VMOVUPS 64(DI), Z5
	VFMADD231PS (R8), Z0, Z4
	VFMADD231PS 64(R8), Z0, Z5
	VFMADD231PS (R9), Z1, Z4
	VFMADD231PS 64(R9), Z1, Z5
	VFMADD231PS (R10), Z2, Z4
	VFMADD231PS 64(R10), Z2, Z5
	VFMADD231PS (R11), Z3, Z4
	VFMADD231PS 64(R11), Z3, Z5
	VMOVUPS Z4, (DI)
	VMOVUPS Z5, 64(DI)
	ADDQ $128, DI
	ADDQ $128, R8
	ADDQ $128, R9
	ADDQ $128, R10
	ADDQ $128, R11
	SUBQ $32, CX
	JMP  axpy4x32z32
axpy4x32z16:
	CMPQ CX, $16
	JL   axpy4x32ztail
	VMOVUPS (DI), Z4
	VFMADD231PS (R8), Z0, Z4
	VFMADD231PS (R9), Z1, Z4
	VFMADD231PS (R10), Z2, Z4
	VFMADD231PS (R11), Z3, Z4
	VMOVUPS Z4, (DI)
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	SUBQ $16, CX
axpy4x32ztail:
	CMPQ CX, $0
	JE   axpy4x32zdone
	VMOVSS (DI), X4
	VFMADD231SS (R8), X0, X4
	VFMADD231SS (R9), X1, X4
	VFMADD231SS (R10), X2, X4
	VFMADD231SS (R11), X3, X4
	VMOVSS X4, (DI)
	ADDQ $4, DI
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R10
	ADDQ $4, R11
	DECQ CX
	JMP  axpy4x32ztail
axpy4x32zdone:
	VZEROUPPER
	RET

// func simdAdam32AVX(p, g, m, v []float32, c *[10]float32)
// One Adam step on len(p) elements, a multiple of 8, in the order of
// operations of simdAdam32Go (no fused multiply-adds). c holds inv, wd,
// beta1, 1-beta1, beta2, 1-beta2, rsq, eps, step, decay.
TEXT ·simdAdam32AVX(SB), NOSPLIT, $0-104
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ c+96(FP), AX
	VBROADCASTSS 0(AX), Y6
	VBROADCASTSS 4(AX), Y7
	VBROADCASTSS 8(AX), Y8
	VBROADCASTSS 12(AX), Y9
	VBROADCASTSS 16(AX), Y10
	VBROADCASTSS 20(AX), Y11
	VBROADCASTSS 24(AX), Y12
	VBROADCASTSS 28(AX), Y13
	VBROADCASTSS 32(AX), Y14
	VBROADCASTSS 36(AX), Y15
	SHRQ $3, CX
	JZ   adam32done
adam32loop:
	VMOVUPS (DI), Y0
	VMULPS  Y15, Y0, Y0 // p *= decay
	VMOVUPS (SI), Y1
	VMULPS  Y6, Y1, Y1  // g*inv
	VMULPS  Y0, Y7, Y2  // wd*p
	VADDPS  Y2, Y1, Y1  // d
	VMOVUPS (R8), Y2
	VMULPS  Y8, Y2, Y2  // beta1*m
	VMULPS  Y1, Y9, Y3  // (1-beta1)*d
	VADDPS  Y3, Y2, Y2  // m
	VMOVUPS Y2, (R8)
	VMOVUPS (R9), Y3
	VMULPS  Y10, Y3, Y3 // beta2*v
	VMULPS  Y1, Y11, Y4 // (1-beta2)*d
	VMULPS  Y1, Y4, Y4  // ((1-beta2)*d)*d
	VADDPS  Y4, Y3, Y3  // v
	VMOVUPS Y3, (R9)
	VSQRTPS Y3, Y3
	VMULPS  Y12, Y3, Y3 // sqrt(v)*rsq
	VADDPS  Y13, Y3, Y3 // + eps
	VDIVPS  Y3, Y2, Y4  // m / den
	VMULPS  Y14, Y4, Y4 // step * (m / den)
	VSUBPS  Y4, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ  adam32loop
adam32done:
	VZEROUPPER
	RET

// func simdAdam64AVX(p, g, m, v []float64, c *[10]float64)
// simdAdam32AVX in float64, four elements at a time; len(p) is a multiple
// of 4.
TEXT ·simdAdam64AVX(SB), NOSPLIT, $0-104
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ c+96(FP), AX
	VBROADCASTSD 0(AX), Y6
	VBROADCASTSD 8(AX), Y7
	VBROADCASTSD 16(AX), Y8
	VBROADCASTSD 24(AX), Y9
	VBROADCASTSD 32(AX), Y10
	VBROADCASTSD 40(AX), Y11
	VBROADCASTSD 48(AX), Y12
	VBROADCASTSD 56(AX), Y13
	VBROADCASTSD 64(AX), Y14
	VBROADCASTSD 72(AX), Y15
	SHRQ $2, CX
	JZ   adam64done
adam64loop:
	VMOVUPD (DI), Y0
	VMULPD  Y15, Y0, Y0
	VMOVUPD (SI), Y1
	VMULPD  Y6, Y1, Y1
	VMULPD  Y0, Y7, Y2
	VADDPD  Y2, Y1, Y1
	VMOVUPD (R8), Y2
	VMULPD  Y8, Y2, Y2
	VMULPD  Y1, Y9, Y3
	VADDPD  Y3, Y2, Y2
	VMOVUPD Y2, (R8)
	VMOVUPD (R9), Y3
	VMULPD  Y10, Y3, Y3
	VMULPD  Y1, Y11, Y4
	VMULPD  Y1, Y4, Y4
	VADDPD  Y4, Y3, Y3
	VMOVUPD Y3, (R9)
	VSQRTPD Y3, Y3
	VMULPD  Y12, Y3, Y3
	VADDPD  Y13, Y3, Y3
	VDIVPD  Y3, Y2, Y4
	VMULPD  Y14, Y4, Y4
	VSUBPD  Y4, Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ CX
	JNZ  adam64loop
adam64done:
	VZEROUPPER
	RET

// func simdMomentum32AVX(p, g, buf []float32, c *[6]float32)
// One step of SGD with momentum on len(p) elements, a multiple of 8, in the
// order of operations of simdMomentum32Go. c holds inv, wd, momentum, a, b,
// lr.
TEXT ·simdMomentum32AVX(SB), NOSPLIT, $0-80
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ buf_base+48(FP), R8
	MOVQ c+72(FP), AX
	VBROADCASTSS 0(AX), Y10
	VBROADCASTSS 4(AX), Y11
	VBROADCASTSS 8(AX), Y12
	VBROADCASTSS 12(AX), Y13
	VBROADCASTSS 16(AX), Y14
	VBROADCASTSS 20(AX), Y15
	SHRQ $3, CX
	JZ   mom32done
mom32loop:
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMULPS  Y10, Y1, Y1 // g*inv
	VMULPS  Y0, Y11, Y2 // wd*p
	VADDPS  Y2, Y1, Y1  // d
	VMOVUPS (R8), Y2
	VMULPS  Y12, Y2, Y2 // momentum*buf
	VADDPS  Y1, Y2, Y2  // buf
	VMOVUPS Y2, (R8)
	VMULPS  Y13, Y1, Y1 // a*d
	VMULPS  Y14, Y2, Y2 // b*buf
	VADDPS  Y2, Y1, Y1
	VMULPS  Y15, Y1, Y1 // lr*(...)
	VSUBPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	DECQ CX
	JNZ  mom32loop
mom32done:
	VZEROUPPER
	RET

// func simdMomentum64AVX(p, g, buf []float64, c *[6]float64)
// simdMomentum32AVX in float64, four elements at a time.
TEXT ·simdMomentum64AVX(SB), NOSPLIT, $0-80
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ buf_base+48(FP), R8
	MOVQ c+72(FP), AX
	VBROADCASTSD 0(AX), Y10
	VBROADCASTSD 8(AX), Y11
	VBROADCASTSD 16(AX), Y12
	VBROADCASTSD 24(AX), Y13
	VBROADCASTSD 32(AX), Y14
	VBROADCASTSD 40(AX), Y15
	SHRQ $2, CX
	JZ   mom64done
mom64loop:
	VMOVUPD (DI), Y0
	VMOVUPD (SI), Y1
	VMULPD  Y10, Y1, Y1
	VMULPD  Y0, Y11, Y2
	VADDPD  Y2, Y1, Y1
	VMOVUPD (R8), Y2
	VMULPD  Y12, Y2, Y2
	VADDPD  Y1, Y2, Y2
	VMOVUPD Y2, (R8)
	VMULPD  Y13, Y1, Y1
	VMULPD  Y14, Y2, Y2
	VADDPD  Y2, Y1, Y1
	VMULPD  Y15, Y1, Y1
	VSUBPD  Y1, Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	DECQ CX
	JNZ  mom64loop
mom64done:
	VZEROUPPER
	RET

// func simdAdam32AVX512(p, g, m, v []float32, c *[10]float32)
// simdAdam32AVX with 16 lanes; len(p) is a multiple of 16.
TEXT ·simdAdam32AVX512(SB), NOSPLIT, $0-104
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), CX
	MOVQ g_base+24(FP), SI
	MOVQ m_base+48(FP), R8
	MOVQ v_base+72(FP), R9
	MOVQ c+96(FP), AX
	VBROADCASTSS 0(AX), Z6
	VBROADCASTSS 4(AX), Z7
	VBROADCASTSS 8(AX), Z8
	VBROADCASTSS 12(AX), Z9
	VBROADCASTSS 16(AX), Z10
	VBROADCASTSS 20(AX), Z11
	VBROADCASTSS 24(AX), Z12
	VBROADCASTSS 28(AX), Z13
	VBROADCASTSS 32(AX), Z14
	VBROADCASTSS 36(AX), Z15
	SHRQ $4, CX
	JZ   adam512done
adam512loop:
	VMOVUPS (DI), Z0
	VMULPS  Z15, Z0, Z0
	VMOVUPS (SI), Z1
	VMULPS  Z6, Z1, Z1
	VMULPS  Z0, Z7, Z2
	VADDPS  Z2, Z1, Z1
	VMOVUPS (R8), Z2
	VMULPS  Z8, Z2, Z2
	VMULPS  Z1, Z9, Z3
	VADDPS  Z3, Z2, Z2
	VMOVUPS Z2, (R8)
	VMOVUPS (R9), Z3
	VMULPS  Z10, Z3, Z3
	VMULPS  Z1, Z11, Z4
	VMULPS  Z1, Z4, Z4
	VADDPS  Z4, Z3, Z3
	VMOVUPS Z3, (R9)
	VSQRTPS Z3, Z3
	VMULPS  Z12, Z3, Z3
	VADDPS  Z13, Z3, Z3
	VDIVPS  Z3, Z2, Z4
	VMULPS  Z14, Z4, Z4
	VSUBPS  Z4, Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, DI
	ADDQ $64, SI
	ADDQ $64, R8
	ADDQ $64, R9
	DECQ CX
	JNZ  adam512loop
adam512done:
	VZEROUPPER
	RET
