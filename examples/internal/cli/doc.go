// Package cli holds what the bpgen example programs share on the command
// line: the common flags ([Flags]), progress reporting during training
// ([Progress]: a progress bar on a terminal, plain lines in logs, nothing
// when quiet), the record of a run and its loss and accuracy plot
// ([History], [History.WritePNG]), evaluation helpers ([Accuracy],
// [ConfusionMatrix], [FormatConfusion], [FormatConfusionNamed],
// [PrecisionRecall], [Argmax]), deterministic shuffling ([Shuffle], [Perm]),
// splitting work among goroutines in a repeatable way ([Parallel]) and
// saving and loading a generated Model's weights ([SaveFile], [LoadFile]).
package cli
