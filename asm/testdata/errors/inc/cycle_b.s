; Included by cycle_a.s.
        .include "cycle_a.s"            ; ERROR "include cycle: testdata/errors/inc/cycle_a.s includes testdata/errors/inc/cycle_b.s includes testdata/errors/inc/cycle_a.s"
