// Package model turns the machine's state into what the window draws: a
// Frame of plain rectangles, colours, pixel buffers and strings, built once
// per frame from a kernel.Snapshot and the events drained since the last
// frame. It does not import Ebiten, so it is tested with plain `go test`
// on a machine without a display; the window package only paints a Frame.
package model
