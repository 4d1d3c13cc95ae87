; 32-bit protected mode with the in-kernel LAPIC and IOAPIC: routes GSI 5, which no device drives, to vector 0x30,
; and halts; the interrupt can only come from the VMM signalling an irqfd. The handler writes a line, sends EOI and
; exits 0.
%include "protected.inc"
%include "ioapic.inc"
org 0x1000
    ENTER_PROTECTED_MODE
    ROUTE_GSI_TO_HANDLER 5
    sti
wait_for_it:
    hlt
    jmp wait_for_it
    INTERRUPT_HANDLER_AND_TABLES "interrupt: irqfd on GSI 5"
