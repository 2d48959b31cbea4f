// Package window is vcpu's desktop window: it paints a model.Frame with
// Ebiten, one panel per file, and runs the game loop that feeds keys to a
// model.Session. Linking Ebiten needs a display, so only cmd/vcpu-gui
// imports this package, and its tests are tagged guitest (run them under
// xvfb-run).
package window
