//go:build !unix

package hostfile_test

import "errors"

func mkfifo(string) error { return errors.ErrUnsupported }
