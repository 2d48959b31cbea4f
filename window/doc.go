//go:build gui

// Package window is vcpu's desktop window: it paints a model.Frame with
// Ebiten, one panel per file, and runs the game loop that feeds keys to a
// model.Session. Linking Ebiten needs cgo, the X11/GL headers and, to run, a
// display, so this package and cmd/vcpu-gui build only with -tags gui: a
// plain `go test ./...` runs every headless test on any machine, and the
// window's own tests run under xvfb-run with -tags gui.
package window
