; Included by include.s; includes cycle_b.s, which includes this file again.
        .include "cycle_b.s"
