module vcpu

go 1.26
