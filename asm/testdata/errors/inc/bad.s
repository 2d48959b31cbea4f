; Included by include.s.
helper: movv r1, 2                      ; ERROR "unknown mnemonic \"movv\"" "testdata/errors/include.s:2:9: note: included from here"
        ret
