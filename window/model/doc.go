// Package model turns the machine's state into what the window draws: a
// Frame of rectangles, colours, pixel buffers and strings laid out for a
// window of any size and zoom, built once per frame from a
// kernel.Snapshot and the events drained since the last frame. Text is
// measured through a Metrics the caller gives (the real font's advance
// widths in the window, Mono or the same Go font in tests), so that
// fitting, ellipses and hit-testing are tested without a display. It does
// not import Ebiten; the window package only paints a Frame and feeds the
// Session its keys and mouse.
package model
