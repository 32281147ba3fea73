package stsrc

// The declarations in this file stand in for the ones bpgen emits into every
// generated package. They exist only so that safetensors.go compiles and can
// be tested here; they are not copied into generated code.

// Float is the element type of the generated package (float32 or float64).
type Float = float32

// floatBits is the bit size of Float (32 or 64).
const floatBits = 32

// Tensor is a named view of one model parameter; Data aliases the model's
// storage and Shape is in PyTorch order.
type Tensor struct {
	Name  string
	Shape []int
	Data  []Float
}
