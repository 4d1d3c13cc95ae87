; 32-bit protected mode with the in-kernel LAPIC and IOAPIC: routes GSI 4 (COM1) to vector 0x30, enables COM1's
; transmitter-empty interrupt, and halts; the interrupt handler writes a line, sends EOI and exits 0.
%include "protected.inc"
%include "ioapic.inc"
org 0x1000
    ENTER_PROTECTED_MODE
    ROUTE_GSI_TO_HANDLER 4
    sti
    mov dx, 0x3f9
    mov al, 0x02
    out dx, al
wait_for_it:
    hlt
    jmp wait_for_it
    INTERRUPT_HANDLER_AND_TABLES "interrupt: IOAPIC vector 0x30"
